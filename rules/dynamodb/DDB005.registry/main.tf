# DDB005 through registry modules: cloudposse/dynamodb hard-codes
# point_in_time_recovery = false on every replica, even when the table has PITR on.

provider "aws" {
  region = "us-east-1"
}

# the hard-coded false is not an argument of the call: reported at the module block
# ruleid: DDB005
module "catalog" {
  source  = "cloudposse/dynamodb/aws"
  version = "0.37.0"

  name                          = "catalog"
  hash_key                      = "pk"
  enable_point_in_time_recovery = true
  replicas                      = ["eu-west-1"]
}

module "prices" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "5.5.0"

  name                           = "prices"
  hash_key                       = "pk"
  point_in_time_recovery_enabled = true
  # ok: DDB005
  replica_regions = [{
    region_name            = "eu-west-1"
    point_in_time_recovery = true
  }]
}
