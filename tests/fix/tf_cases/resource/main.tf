# Orders: the source of truth.
resource "aws_dynamodb_table" "orders" {
  name         = "orders" # keep the name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
