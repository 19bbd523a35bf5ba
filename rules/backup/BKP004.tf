# Fixture for BKP004 (backup-lifecycle-rejected), Terraform HCL.

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

  # a negative day count (other than -1, "keep forever") is rejected
  rule {
    rule_name         = "negative-retention"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      # ruleid: BKP004
      delete_after = -7
    }
  }

  # a string that is not a number of days is rejected
  rule {
    rule_name         = "string-retention"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      # ruleid: BKP004
      delete_after = "five weeks"
    }
  }

  # -1 keeps recovery points forever (BKP002's concern, not a rejected value)
  # ok: BKP004
  rule {
    rule_name         = "keep-forever"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 1 * ? *)"

    lifecycle {
      delete_after = -1
    }
  }
}
