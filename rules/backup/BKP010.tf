# Fixture for BKP010 (backup-retention-outside-vault-lock), Terraform HCL.

resource "aws_backup_vault" "bkp010_locked" {
  name = "bkp010-locked"
}

resource "aws_backup_vault_lock_configuration" "bkp010_locked" {
  backup_vault_name  = aws_backup_vault.bkp010_locked.name
  min_retention_days = 7
  max_retention_days = 365
}

resource "aws_backup_vault" "bkp010_copies" {
  name = "bkp010-copies"
}

resource "aws_backup_vault_lock_configuration" "bkp010_copies" {
  backup_vault_name  = "bkp010-copies"
  min_retention_days = 30
}

variable "bkp010_retention" {
  type = number
}

resource "aws_backup_plan" "bkp010" {
  name = "bkp010"

  # ok: BKP010
  rule {
    rule_name         = "within"
    target_vault_name = aws_backup_vault.bkp010_locked.name
    schedule          = "cron(0 5 ? * * *)"
    lifecycle {
      delete_after = 35
    }
    copy_action {
      destination_vault_arn = aws_backup_vault.bkp010_copies.arn
      lifecycle {
        delete_after = 90
      }
    }
  }

  rule {
    rule_name         = "too-short"
    target_vault_name = aws_backup_vault.bkp010_locked.name
    schedule          = "cron(0 6 ? * * *)"
    lifecycle {
      # ruleid: BKP010
      delete_after = 3
    }
  }

  rule {
    rule_name         = "too-long"
    target_vault_name = "bkp010-locked"
    schedule          = "cron(0 7 ? * * *)"
    lifecycle {
      # ruleid: BKP010
      delete_after = 400
    }
  }

  # ruleid: BKP010
  rule {
    rule_name         = "forever"
    target_vault_name = aws_backup_vault.bkp010_locked.name
    schedule          = "cron(0 8 ? * * *)"
  }

  rule {
    rule_name         = "copy-too-short"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 9 ? * * *)"
    lifecycle {
      delete_after = 400
    }
    # ruleid: BKP010
    copy_action {
      destination_vault_arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:bkp010-copies"
      lifecycle {
        delete_after = 14
      }
    }
  }

  # ok: BKP010
  rule {
    rule_name         = "unlocked-vault"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 10 ? * * *)"
  }

  rule {
    rule_name         = "from-variable"
    target_vault_name = aws_backup_vault.bkp010_locked.name
    schedule          = "cron(0 11 ? * * *)"
    lifecycle {
      # unknown: BKP010
      delete_after = var.bkp010_retention
    }
  }
}
