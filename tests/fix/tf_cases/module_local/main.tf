provider "aws" {
  region = "us-east-1"
}

locals {
  archive_pitr = false
}

# the module's own default (false) decides: the call gets the argument
module "sessions" {
  source = "./modules/table"
  name   = "sessions"
}

module "archive" {
  source = "./modules/table"
  name   = "archive"
  pitr   = local.archive_pitr
}
