# DDB001 through registry modules that are not downloaded: ddb-guard models
# terraform-aws-modules/dynamodb-table and cloudposse/dynamodb from their inputs and
# defaults, and reports at the module call (the argument that decided, else the block).

provider "aws" {
  region = "us-east-1"
}

variable "pitr" {
  type = bool
}

# point_in_time_recovery_enabled defaults to false in terraform-aws-modules
# ruleid: DDB001
module "orders" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "5.5.0"

  name     = "orders"
  hash_key = "pk"
}

module "payments" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "5.5.0"

  name     = "payments"
  hash_key = "pk"
  # ruleid: DDB001
  point_in_time_recovery_enabled = false
}

module "ledger" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "5.5.0"

  name     = "ledger"
  hash_key = "pk"
  # ok: DDB001
  point_in_time_recovery_enabled = true
}

module "audit" {
  source = "terraform-aws-modules/dynamodb-table/aws"

  name     = "audit"
  hash_key = "pk"
  # unknown: DDB001
  point_in_time_recovery_enabled = var.pitr
}

# create_table = false creates nothing, so there is nothing to flag
# ok: DDB001
module "disabled" {
  source = "terraform-aws-modules/dynamodb-table/aws"

  create_table = false
  name         = "disabled"
  hash_key     = "pk"
}

# cloudposse/dynamodb turns PITR on by default
# ok: DDB001
module "sessions" {
  source  = "cloudposse/dynamodb/aws"
  version = "0.37.0"

  name     = "sessions"
  hash_key = "pk"
}

module "carts" {
  source  = "cloudposse/dynamodb/aws"
  version = "0.37.0"

  name     = "carts"
  hash_key = "pk"
  # ruleid: DDB001
  enable_point_in_time_recovery = false
}
