# Fixture for BKP002 (backup-unbounded-retention-dynamodb), Terraform HCL.

# Rules kept forever that run hourly or daily at 05:00 overlap the other rules' runs (AWS then
# keeps only the run with the longer retention), so they have a plan of their own.
resource "aws_backup_plan" "bkp002_forever" {
  name = "bkp002-forever"

  # Daily or more often, kept forever: BKP001's (see BKP001.tf), not reported twice.
  # ok: BKP002
  rule {
    rule_name         = "hourly-forever"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 * ? * * *)"
  }

  # No schedule: AWS Backup runs it daily at 05:00 UTC, so it is BKP001's.
  # ok: BKP002
  rule {
    rule_name         = "no-schedule"
    target_vault_name = aws_backup_vault.main.name
  }
}

resource "aws_backup_selection" "bkp002_forever" {
  name         = "forever"
  plan_id      = aws_backup_plan.bkp002_forever.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = ["arn:aws:dynamodb:*:*:table/*"]
}

resource "aws_backup_plan" "bkp002_tables" {
  name = "bkp002-tables"

  rule {
    rule_name         = "weekly-two-years"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      # ruleid: BKP002
      delete_after = 730
    }
  }

  rule {
    rule_name         = "weekly-two-years-cold"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 6 ? * SUN *)"

    lifecycle {
      cold_storage_after = 30
      # ok: BKP002
      delete_after = 730
    }
  }

  rule {
    rule_name         = "weekly-one-year"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 7 ? * SUN *)"

    lifecycle {
      # ok: BKP002
      delete_after = 364
    }
  }

  rule {
    rule_name         = "monthly-forever"
    target_vault_name = aws_backup_vault.main.name
    # ruleid: BKP002
    schedule = "cron(0 5 1 * ? *)"
  }
}

resource "aws_backup_selection" "bkp002_all_tables" {
  name         = "all-tables"
  plan_id      = aws_backup_plan.bkp002_tables.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = ["arn:aws:dynamodb:*:*:table/*"]
}
