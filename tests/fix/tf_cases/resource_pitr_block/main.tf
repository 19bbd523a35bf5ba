resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }

  # the window is set, PITR itself is not (off): `enabled` joins the block, aligned
  point_in_time_recovery {
    recovery_period_in_days = 35
  }

  deletion_protection_enabled = true
}

resource "aws_dynamodb_table" "carts" {
  name                        = "carts"
  hash_key                    = "id"
  deletion_protection_enabled = true

  attribute {
    name = "id"
    type = "S"
  }

  # turning PITR on makes the 7-day window count (DDB002): the same run raises it
  point_in_time_recovery {
    enabled                 = false
    recovery_period_in_days = 7
  }
}
