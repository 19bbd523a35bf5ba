provider "aws" {
  region = "us-east-1"
}

# terraform-aws-modules: PITR off by default, no deletion protection
module "orders" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "5.5.0"

  name     = "orders"
  hash_key = "pk"
}

module "payments" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "5.5.0"

  name                                  = "payments"
  hash_key                              = "pk"
  point_in_time_recovery_enabled        = false
  point_in_time_recovery_period_in_days = 7
  deletion_protection_enabled           = true
  replica_regions = [
    {
      region_name = "eu-west-1"
    },
  ]
}

# cloudposse: PITR on by default; replicas hard-coded without PITR (not fixable here)
module "carts" {
  source  = "cloudposse/dynamodb/aws"
  version = "0.37.0"

  name                          = "carts"
  hash_key                      = "pk"
  enable_point_in_time_recovery = false
  replicas                      = ["eu-west-1"]
}
