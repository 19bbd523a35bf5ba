variable "pitr" {
  type    = bool
  default = true
}

resource "aws_dynamodb_table" "own" {
  name     = "own"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = var.pitr
  }
}
