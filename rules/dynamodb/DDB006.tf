# Fixture for DDB006 (dynamodb-replica-deletion-protection-disabled), Terraform HCL.

# Providers: see _providers.tf (every .tf file in a directory belongs to one module).

variable "replica_protection" {
  type = bool
}

resource "aws_dynamodb_table" "ddb006_orders" {
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  # ruleid: DDB006
  replica {
    region_name            = "eu-west-1"
    point_in_time_recovery = true
  }

  # ok: DDB006
  replica {
    region_name                 = "us-west-2"
    point_in_time_recovery      = true
    # ok: DDB006
    deletion_protection_enabled = true
  }

  replica {
    region_name                 = "ap-northeast-1"
    point_in_time_recovery      = true
    # ruleid: DDB006
    deletion_protection_enabled = false
  }

  replica {
    region_name = "sa-east-1"
    # unknown: DDB006
    deletion_protection_enabled = var.replica_protection
  }
}

resource "aws_dynamodb_table" "ddb006_primary" {
  name             = "primary"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }
}

# ruleid: DDB006
resource "aws_dynamodb_table_replica" "ddb006_eu" {
  provider               = aws.eu
  global_table_arn       = aws_dynamodb_table.ddb006_primary.arn
  point_in_time_recovery = true
}

# ok: DDB006
resource "aws_dynamodb_table_replica" "ddb006_eu_protected" {
  provider                    = aws.eu
  global_table_arn            = aws_dynamodb_table.ddb006_primary.arn
  point_in_time_recovery      = true
  deletion_protection_enabled = true
}
