# Fixture for BKP006 (backup-start-window-too-short), Terraform HCL.

resource "aws_backup_plan" "bkp006" {
  name = "bkp006"

  rule {
    rule_name         = "short-window"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"
    # ruleid: BKP006
    start_window = 30
  }

  rule {
    rule_name         = "hour-window"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"
    # ok: BKP006
    start_window = 60
  }

  # ok: BKP006
  rule {
    rule_name         = "default-window"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"
  }
}
