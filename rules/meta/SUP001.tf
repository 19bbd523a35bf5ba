# Fixture for SUP001 (suppression-without-reason), Terraform HCL.

resource "aws_dynamodb_table" "sup001_locks" {
  # ok: SUP001
  # ddb-guard:ignore DDB001 Terraform state locks are ephemeral; losing them is harmless
  name     = "terraform-locks"
  hash_key = "LockID"

  attribute {
    name = "LockID"
    type = "S"
  }
}

resource "aws_dynamodb_table" "sup001_no_reason" {
  # ruleid: SUP001
  # ddb-guard:ignore DDB003
  name     = "no-reason"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "sup001_unknown_rule" {
  # ruleid: SUP001
  # ddb-guard:ignore DDB01 typo in the rule id
  name     = "typo"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "sup001_no_rule" {
  # ruleid: SUP001
  # ddb-guard:ignore
  name     = "no-rule"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "sup001_spaced_lower_case" {
  # ok: SUP001
  # ddb-guard: ignore ddb003 a scratch table, recreated by every test run
  name     = "scratch"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
