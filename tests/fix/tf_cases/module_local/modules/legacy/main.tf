variable "name" {
  type = string
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  hash_key                    = "pk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = false
  }
}
