variable "name" {
  type = string
}

variable "pitr" {
  type    = bool
  default = false
}

resource "aws_dynamodb_table" "this" {
  name     = var.name
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.pitr
  }
}
