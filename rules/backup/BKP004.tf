# Fixture for BKP004 (backup-lifecycle-cold-too-short), Terraform HCL.

resource "aws_backup_plan" "bkp004" {
  name = "bkp004"

  rule {
    rule_name         = "cold-too-short"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      cold_storage_after = 30
      # ruleid: BKP004
      delete_after = 90
    }
  }

  # ok: BKP004
  rule {
    rule_name         = "cold-exactly-90"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      cold_storage_after = 30
      # ok: BKP004
      delete_after = 120
    }
  }

  # ok: BKP004
  rule {
    rule_name         = "cold-zero-means-unset"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      cold_storage_after = 0
      delete_after       = 35
    }
  }

  # ok: BKP004
  rule {
    rule_name         = "warm-only"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      delete_after = 14
    }
  }

  # ruleid: BKP004
  rule {
    rule_name         = "copy-cold-too-short"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 1 * ? *)"

    lifecycle {
      cold_storage_after = 30
      delete_after       = 365
    }

    copy_action {
      destination_vault_arn = "arn:aws:backup:eu-west-1:123456789012:backup-vault:dr"

      lifecycle {
        cold_storage_after = 60
        delete_after       = 100
      }
    }
  }
}
