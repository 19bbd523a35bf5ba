# Fixture for BKP005 (backup-schedule-invalid), Terraform HCL.

variable "bkp005_schedule" {
  type = string
}

resource "aws_backup_plan" "bkp005" {
  name = "bkp005"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    # ok: BKP005
    schedule = "cron(0 5 ? * * *)"
  }

  rule {
    rule_name         = "unix-cron"
    target_vault_name = aws_backup_vault.main.name
    # ruleid: BKP005
    schedule = "cron(0 5 * * *)"
  }

  rule {
    rule_name         = "rate"
    target_vault_name = aws_backup_vault.main.name
    # ruleid: BKP005
    schedule = "rate(1 day)"
  }

  rule {
    rule_name         = "every-30-minutes"
    target_vault_name = aws_backup_vault.main.name
    # ruleid: BKP005
    schedule = "cron(0/30 * ? * * *)"
  }

  rule {
    rule_name         = "both-day-fields"
    target_vault_name = aws_backup_vault.main.name
    # ruleid: BKP005
    schedule = "cron(0 5 * * * *)"
  }

  rule {
    rule_name         = "hourly"
    target_vault_name = aws_backup_vault.main.name
    # ok: BKP005
    schedule = "cron(15 * ? * * *)"
  }

  # ok: BKP005
  rule {
    rule_name         = "on-demand"
    target_vault_name = aws_backup_vault.main.name
  }

  rule {
    rule_name         = "from-variable"
    target_vault_name = aws_backup_vault.main.name
    # unknown: BKP005
    schedule = var.bkp005_schedule
  }
}
