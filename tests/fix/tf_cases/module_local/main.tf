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

variable "env" {
  type    = string
  default = "dev"
}

# an expression in the call: reported (replaced only with --unsafe)
module "events" {
  source = "./modules/table"
  name   = "events"
  pitr   = var.env == "prod"
}

# the module's own resource turns PITR off: the source is to be fixed, never edited here
module "legacy" {
  source = "./modules/legacy"
  name   = "legacy"
}
