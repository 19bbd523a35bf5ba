# Fixture for DDB007 (dynamodb-required-tags-missing), Terraform HCL.
# Scanned with DDB007.config.toml (required_tags = ["owner"], allowed_values for env);
# with the default configuration the rule reports nothing (tests/test_ddb007.py).

variable "ddb007_tags" {
  type = map(string)
}

resource "aws_dynamodb_table" "ddb007_owned" {
  name     = "ddb007-owned"
  hash_key = "pk"
  # ok: DDB007
  tags = {
    owner = "payments"
    env   = "prod"
  }
}

resource "aws_dynamodb_table" "ddb007_unowned" {
  name     = "ddb007-unowned"
  hash_key = "pk"
  # ruleid: DDB007
  tags = {
    team = "payments"
  }
}

resource "aws_dynamodb_table" "ddb007_empty_owner" {
  name     = "ddb007-empty-owner"
  hash_key = "pk"
  # ruleid: DDB007
  tags = {
    owner = ""
  }
}

resource "aws_dynamodb_table" "ddb007_bad_env" {
  name     = "ddb007-bad-env"
  hash_key = "pk"
  # ruleid: DDB007
  tags = {
    owner = "payments"
    env   = "production"
  }
}

# ruleid: DDB007
resource "aws_dynamodb_table" "ddb007_no_tags" {
  name     = "ddb007-no-tags"
  hash_key = "pk"
}

resource "aws_dynamodb_table" "ddb007_from_variable" {
  name     = "ddb007-from-variable"
  hash_key = "pk"
  # unknown: DDB007
  tags = var.ddb007_tags
}
