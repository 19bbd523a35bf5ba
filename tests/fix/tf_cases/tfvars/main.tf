variable "pitr" {
  type = bool
}

variable "protect" {
  type    = bool
  default = true
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  hash_key                    = "id"
  deletion_protection_enabled = var.protect

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.pitr
  }
}
