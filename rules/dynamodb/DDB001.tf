# Fixture for DDB001 (dynamodb-pitr-disabled), Terraform HCL.

variable "pitr_on" {
  type    = bool
  default = true
}

variable "pitr_off" {
  type    = bool
  default = false
}

variable "pitr_unset" {
  type = bool
}

variable "pitr_env" {
  type    = string
  default = "dev"
}

variable "pitr_blocks" {
  type = list(string)
}

locals {
  pitr_from_var = var.pitr_off
  pitr_prod     = var.pitr_env == "prod"
}

# ruleid: DDB001
resource "aws_dynamodb_table" "ddb001_no_block" {
  name         = "no-block"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "ddb001_explicit_false" {
  name         = "explicit-false"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # ruleid: DDB001
    enabled = false
  }
}

# ok: DDB001
resource "aws_dynamodb_table" "ddb001_explicit_true" {
  name         = "explicit-true"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # ok: DDB001
    enabled = true
  }
}

resource "aws_dynamodb_table" "ddb001_var_default_true" {
  name     = "var-default-true"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # ok: DDB001
    enabled = var.pitr_on
  }
}

resource "aws_dynamodb_table" "ddb001_var_default_false" {
  name     = "var-default-false"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # ruleid: DDB001
    enabled = var.pitr_off
  }
}

resource "aws_dynamodb_table" "ddb001_var_no_default" {
  name     = "var-no-default"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # unknown: DDB001
    enabled = var.pitr_unset
  }
}

resource "aws_dynamodb_table" "ddb001_local_from_var" {
  name     = "local-from-var"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # ruleid: DDB001
    enabled = local.pitr_from_var
  }
}

resource "aws_dynamodb_table" "ddb001_conditional" {
  name     = "conditional"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # ruleid: DDB001
    enabled = var.pitr_env == "prod" ? true : false
  }
}

resource "aws_dynamodb_table" "ddb001_conditional_local" {
  name     = "conditional-local"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # ruleid: DDB001
    enabled = local.pitr_prod
  }
}

# ruleid: DDB001
resource "aws_dynamodb_table" "ddb001_dynamic_empty" {
  name     = "dynamic-empty"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  dynamic "point_in_time_recovery" {
    for_each = []
    content {
      enabled = true
    }
  }
}

resource "aws_dynamodb_table" "ddb001_dynamic_nonempty" {
  name     = "dynamic-nonempty"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  dynamic "point_in_time_recovery" {
    for_each = ["on"]
    content {
      # ok: DDB001
      enabled = true
    }
  }
}

resource "aws_dynamodb_table" "ddb001_dynamic_unknown" {
  name     = "dynamic-unknown"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  dynamic "point_in_time_recovery" {
    # unknown: DDB001
    for_each = var.pitr_blocks
    content {
      enabled = true
    }
  }
}

# ok: DDB001
resource "aws_dynamodb_table" "ddb001_count_zero" {
  count    = 0
  name     = "count-zero"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

# ok: DDB001
resource "aws_dynamodb_table" "ddb001_suppressed_with_reason" {
  # ddb-guard:ignore DDB001 Terraform state-lock table: only short-lived leases, nothing to restore
  name     = "terraform-locks"
  hash_key = "LockID"

  attribute {
    name = "LockID"
    type = "S"
  }
}

# A suppression without a reason still applies (SUP001 reports the missing reason).
# ok: DDB001
resource "aws_dynamodb_table" "ddb001_suppressed_without_reason" {
  # ddb-guard:ignore DDB001
  name     = "no-reason"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
