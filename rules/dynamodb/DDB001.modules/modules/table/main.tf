variable "name" {
  description = "Table name"
  type        = string
}

variable "pitr" {
  description = "Enable point-in-time recovery"
  type        = bool
  default     = false
}

resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.pitr
  }
}

output "arn" {
  value = aws_dynamodb_table.this.arn
}
