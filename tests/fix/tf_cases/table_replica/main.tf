resource "aws_dynamodb_table" "primary" {
  name                        = "primary"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  lifecycle {
    ignore_changes = [replica]
  }
}

resource "aws_dynamodb_table_replica" "eu" {
  provider         = aws.eu
  global_table_arn = aws_dynamodb_table.primary.arn

  tags = {
    Name = "primary-eu"
  }
}

resource "aws_dynamodb_table_replica" "ap" {
  provider               = aws.ap
  global_table_arn       = aws_dynamodb_table.primary.arn
  point_in_time_recovery = false
}
