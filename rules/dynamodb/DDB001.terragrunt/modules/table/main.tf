# A module deployed only through Terragrunt units: it is judged through them, with their
# inputs, and not a second time on its own with its defaults.

variable "name" {
  type = string
}

variable "pitr" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_dynamodb_table" "this" {
  name     = var.name
  hash_key = "pk"
  tags     = var.tags
  point_in_time_recovery {
    # ok: DDB001
    enabled = var.pitr
  }
}
