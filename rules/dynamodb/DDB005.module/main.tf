# A reusable module scanned on its own (as in its own repository): with its defaults it
# creates no replica, but every replica it creates for its users has PITR hard-coded off.
# Module authors are users too: judged at the rule's level, "when created".

variable "name" {
  type    = string
  default = "orders"
}

variable "replica_regions" {
  type    = list(string)
  default = []
}

variable "create_stream_table" {
  type    = bool
  default = false
}

resource "aws_dynamodb_table" "this" {
  name             = var.name
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  dynamic "replica" {
    for_each = var.replica_regions
    content {
      region_name = replica.value
      # ruleid: DDB005
      point_in_time_recovery = false
    }
  }
}

# created only when an input says so (count 0 with the default): judged when created
resource "aws_dynamodb_table_replica" "stream" {
  count            = var.create_stream_table ? 1 : 0
  global_table_arn = aws_dynamodb_table.this.arn
  # ruleid: DDB005
  point_in_time_recovery = false
}

# a literal zero is never created: nothing to judge
resource "aws_dynamodb_table_replica" "never" {
  count            = 0
  global_table_arn = aws_dynamodb_table.this.arn
  # ok: DDB005
  point_in_time_recovery = false
}
