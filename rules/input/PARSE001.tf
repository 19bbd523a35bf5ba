# Fixture for PARSE001 (file-not-parsed), Terraform HCL.
# A syntax error fails the gate at the broken line; the intact blocks are still checked.

# ok: PARSE001
resource "aws_dynamodb_table" "parse001_intact" {
  name     = "intact"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "parse001_broken" {
  name = "broken"
  # ruleid: PARSE001
  hash_key = = "pk"
}
