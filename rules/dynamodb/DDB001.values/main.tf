# DDB001 with values Terraform would resolve: tfvars files in Terraform's order, locals
# built from locals, functions, for_each and count.

provider "aws" {
  region = "us-east-1"
}

variable "pitr_from_tfvars" {
  type    = bool
  default = true # overridden to false by terraform.tfvars
}

variable "pitr_auto" {
  type    = bool
  default = false # terraform.tfvars says true, prod.auto.tfvars (read later) says false
}

variable "settings" {
  type = map(any)
  default = {
    orders = { pitr = true }
  }
}

variable "tables" {
  type    = list(string)
  default = []
}

locals {
  env     = "prod"
  is_prod = local.env == "prod"
  pitr    = local.is_prod && lookup(var.settings["orders"], "pitr", false)
  merged  = merge({ pitr = false }, { pitr = local.pitr })
}

resource "aws_dynamodb_table" "from_tfvars" {
  name     = "from-tfvars"
  hash_key = "pk"
  point_in_time_recovery {
    # ruleid: DDB001
    enabled = var.pitr_from_tfvars
  }
}

resource "aws_dynamodb_table" "auto_tfvars_last" {
  name     = "auto-tfvars"
  hash_key = "pk"
  point_in_time_recovery {
    # ruleid: DDB001
    enabled = var.pitr_auto
  }
}

resource "aws_dynamodb_table" "locals_and_functions" {
  name     = format("%s-%s", local.env, "orders")
  hash_key = "pk"
  point_in_time_recovery {
    # ok: DDB001
    enabled = local.merged.pitr
  }
}

resource "aws_dynamodb_table" "try_and_coalesce" {
  name     = "try"
  hash_key = "pk"
  point_in_time_recovery {
    # ruleid: DDB001
    enabled = try(var.settings["missing"]["pitr"], coalesce(null, false))
  }
}

# for_each over an input whose default is empty: no table with the defaults, but every
# table it creates for other inputs has no PITR: judged "when created", at error
# ruleid: DDB001
resource "aws_dynamodb_table" "none" {
  for_each = toset(var.tables)
  name     = each.key
  hash_key = "pk"
}

# count from a comparison: one table, reported
# ruleid: DDB001
resource "aws_dynamodb_table" "counted" {
  count    = length(var.tables) == 0 ? 1 : 0
  name     = "counted"
  hash_key = "pk"
}

# a literal empty for_each / count = 0: nothing is ever created, nothing to report
# ok: DDB001
resource "aws_dynamodb_table" "never" {
  count    = 0
  name     = "never"
  hash_key = "pk"
}

# ok: DDB001
resource "aws_dynamodb_table" "never_each" {
  for_each = toset([])
  name     = each.key
  hash_key = "pk"
}
