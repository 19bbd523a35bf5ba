# Fixture for DDB001 through a local module: findings inside a module are reported at
# the module call in this root, at the argument that decided the value when there is one.

provider "aws" {
  region = "us-east-1"
}

variable "events_pitr" {
  description = "PITR for the events table; no default, so it is supplied at apply time"
  type        = bool
}

variable "audit_pitr" {
  type    = bool
  default = true
}

locals {
  archive_pitr = false
}

# ok: DDB001
module "orders" {
  source = "./modules/table"
  name   = "orders"
  # ok: DDB001
  pitr = true
}

# ruleid: DDB001
module "sessions" {
  source = "./modules/table"
  name   = "sessions"
}

module "events" {
  source = "./modules/table"
  name   = "events"
  # unknown: DDB001
  pitr = var.events_pitr
}

module "audit" {
  source = "./modules/table"
  name   = "audit"
  # ok: DDB001
  pitr = var.audit_pitr
}

module "archive" {
  source = "./modules/table"
  name   = "archive"
  # ruleid: DDB001
  pitr = local.archive_pitr
}
