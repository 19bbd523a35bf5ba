# Fixture for BKP003 (backup-long-retention-without-cold-storage), Terraform HCL.

resource "aws_dynamodb_table" "bkp003_ledger" {
  name         = "bkp003-ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = {
    retention = "long"
  }
}

resource "aws_backup_plan" "bkp003_ledger" {
  name = "bkp003-ledger"

  rule {
    rule_name         = "weekly-year-warm"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      # ruleid: BKP003
      delete_after = 365
    }
  }

  rule {
    rule_name         = "monthly-year-cold"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 1 * ? *)"

    lifecycle {
      cold_storage_after = 30
      # ok: BKP003
      delete_after = 365
    }
  }

  # Only a name: AWS runs it daily at 05:00 UTC and keeps every copy forever, warm.
  # ruleid: BKP003
  rule {
    rule_name         = "name-only"
    target_vault_name = aws_backup_vault.main.name
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

resource "aws_backup_selection" "bkp003_ledger" {
  name         = "ledger"
  plan_id      = aws_backup_plan.bkp003_ledger.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "retention"
    value = "long"
  }
}
