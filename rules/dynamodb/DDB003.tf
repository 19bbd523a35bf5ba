# Fixture for DDB003 (dynamodb-deletion-protection-disabled), Terraform HCL.

variable "protect" {
  type    = bool
  default = true
}

variable "protect_unset" {
  type = bool
}

variable "environment" {
  type    = string
  default = "staging"
}

# ruleid: DDB003
resource "aws_dynamodb_table" "ddb003_absent" {
  name     = "absent"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "ddb003_explicit_false" {
  name     = "explicit-false"
  hash_key = "pk"
  # ruleid: DDB003
  deletion_protection_enabled = false

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "ddb003_string_true" {
  name     = "string-true"
  hash_key = "pk"
  # ok: DDB003
  deletion_protection_enabled = "true"

  attribute {
    name = "pk"
    type = "S"
  }
}

# ok: DDB003
resource "aws_dynamodb_table" "ddb003_from_var" {
  name                        = "from-var"
  hash_key                    = "pk"
  deletion_protection_enabled = var.protect

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "ddb003_prod_only" {
  name     = "prod-only"
  hash_key = "pk"
  # ruleid: DDB003
  deletion_protection_enabled = var.environment == "prod"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "ddb003_unresolved" {
  name     = "unresolved"
  hash_key = "pk"
  # unknown: DDB003
  deletion_protection_enabled = var.protect_unset

  attribute {
    name = "pk"
    type = "S"
  }
}

# ok: DDB003
resource "aws_dynamodb_table" "ddb003_not_created" {
  count    = 0
  name     = "not-created"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
