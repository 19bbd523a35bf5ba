variable "window_days" {
  type    = number
  default = 7
}

resource "aws_dynamodb_table" "week" {
  name                        = "week"
  hash_key                    = "pk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled                 = true
    recovery_period_in_days = 7
  }
}

resource "aws_dynamodb_table" "from_variable" {
  name                        = "from-variable"
  hash_key                    = "pk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled                 = true
    recovery_period_in_days = var.window_days
  }
}
