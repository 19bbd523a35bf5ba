# Fixture for DDB001 on a plan (tfplan.json) next to its configuration: the plan's
# values win, and findings point at these source lines.

provider "aws" {
  region = "us-east-1"
}

variable "environment" {
  type    = string
  default = "dev"
}

# ok: DDB001
resource "aws_dynamodb_table" "audit" {
  name         = "audit"
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

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    # ruleid: DDB001
    enabled = var.environment == "prod"
  }
}

# ruleid: DDB001
resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
