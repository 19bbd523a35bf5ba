variable "pitr" {
  type    = bool
  default = false # off while prototyping
}

locals {
  protect = false
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  hash_key                    = "id"
  deletion_protection_enabled = local.protect

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.pitr
  }
}
