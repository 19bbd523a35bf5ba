# Fixture for DDB004 (cloudformation-table-deleted-with-stack): Terraform has no
# DeletionPolicy, so the rule never fires on Terraform resources.

# ok: DDB004
resource "aws_dynamodb_table" "ddb004_plain" {
  name     = "plain"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

# ok: DDB004
resource "aws_dynamodb_table" "ddb004_prevent_destroy" {
  name     = "prevent-destroy"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  lifecycle {
    prevent_destroy = true
  }
}
