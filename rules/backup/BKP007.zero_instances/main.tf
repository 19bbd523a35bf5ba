# A backup module instantiated once per region of an input that defaults to no region:
# nothing is created with the defaults, but each instance turns continuous backup on for
# the tables it selects. Judged at the rule's level, "when created".

provider "aws" {
  region = "us-east-1"
}

variable "regions" {
  type    = set(string)
  default = []
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"
  tags = {
    backup = "continuous"
  }
  point_in_time_recovery {
    enabled = true
  }
}

# ruleid: BKP007
module "backup" {
  source   = "./modules/backup"
  for_each = var.regions
  region   = each.key
}

# a literal empty set: never created, nothing to judge
# ok: BKP007
module "never" {
  source   = "./modules/backup"
  for_each = toset([])
  region   = each.key
}
