# Advanced DynamoDB backup turned off for the region: AWS ignores cold storage for
# DynamoDB, so "cold after 30, delete after 364" keeps 364 days of copies in warm storage.

provider "aws" {
  region = "us-east-1"
}

resource "aws_backup_region_settings" "this" {
  resource_type_opt_in_preference = {
    "DynamoDB" = true
  }
  resource_type_management_preference = {
    "DynamoDB" = false
  }
}

resource "aws_dynamodb_table" "ledger" {
  name         = "ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_plan" "ledger" {
  name = "ledger"

  rule {
    rule_name         = "weekly-year-cold-ignored"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      cold_storage_after = 30
      # ruleid: BKP003
      delete_after = 364
    }
  }

  rule {
    rule_name         = "weekly-quarter"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 6 ? * SUN *)"

    lifecycle {
      # ok: BKP003
      delete_after = 90
    }
  }
}

resource "aws_backup_selection" "ledger" {
  name         = "ledger"
  plan_id      = aws_backup_plan.ledger.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_dynamodb_table.ledger.arn]
}
