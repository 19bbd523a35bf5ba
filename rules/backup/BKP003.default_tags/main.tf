# Provider default_tags are the tags AWS puts on every resource of the provider: a
# tag-based backup selection selects the tables they tag (the resource's own tags win).

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      backup = "yearly"
    }
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
  default_tags {
    tags = {
      team = "payments"
    }
  }
}

# tagged backup = yearly only through the default provider's default_tags
resource "aws_dynamodb_table" "tagged_by_provider" {
  name     = "tagged-by-provider"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = true
  }
}

# tagged team = payments only through the aliased provider's default_tags
resource "aws_dynamodb_table" "west" {
  provider = aws.west
  name     = "west"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_backup_vault" "v" {
  name = "tags"
}

resource "aws_backup_plan" "yearly" {
  name = "yearly"
  rule {
    rule_name         = "yearly"
    target_vault_name = aws_backup_vault.v.name
    schedule          = "cron(0 5 1 1 ? *)"
    lifecycle {
      # ruleid: BKP003
      delete_after = 400
    }
  }
}

resource "aws_backup_selection" "yearly" {
  name         = "yearly"
  plan_id      = aws_backup_plan.yearly.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "yearly"
  }
}

resource "aws_backup_plan" "payments" {
  provider = aws.west
  name     = "payments"
  rule {
    rule_name         = "payments"
    target_vault_name = aws_backup_vault.v.name
    schedule          = "cron(0 5 1 1 ? *)"
    lifecycle {
      # ruleid: BKP003
      delete_after = 400
    }
  }
}

resource "aws_backup_selection" "payments" {
  provider     = aws.west
  name         = "payments"
  plan_id      = aws_backup_plan.payments.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["*"]
  condition {
    string_equals {
      key   = "aws:ResourceTag/team"
      value = "payments"
    }
  }
}

# nothing is tagged backup = never: the resource's own tags would win, but no table has it
resource "aws_backup_plan" "never" {
  name = "never"
  rule {
    rule_name         = "never"
    target_vault_name = aws_backup_vault.v.name
    schedule          = "cron(0 5 1 1 ? *)"
    lifecycle {
      # ok: BKP003
      delete_after = 400
    }
  }
}

resource "aws_backup_selection" "never" {
  name         = "never"
  plan_id      = aws_backup_plan.never.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "never"
  }
}
