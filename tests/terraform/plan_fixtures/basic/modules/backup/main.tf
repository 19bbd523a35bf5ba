variable "table_arns" {
  type = list(string)
}

resource "aws_backup_vault" "this" {
  name = "prod-vault"
}

resource "aws_backup_vault_lock_configuration" "this" {
  backup_vault_name  = aws_backup_vault.this.name
  min_retention_days = 7
  max_retention_days = 400
}

resource "aws_backup_plan" "this" {
  name = "prod-plan"

  rule {
    rule_name         = "hourly"
    target_vault_name = aws_backup_vault.this.name
    schedule          = "cron(0 * ? * * *)"

    lifecycle {
      delete_after = 7
    }
  }

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this.name
    schedule          = "cron(0 5 ? * * *)"
    start_window      = 120

    lifecycle {
      cold_storage_after = 30
      delete_after       = 365
    }

    copy_action {
      destination_vault_arn = "arn:aws:backup:eu-west-1:123456789012:backup-vault:dr"

      lifecycle {
        delete_after = 90
      }
    }
  }
}

resource "aws_backup_selection" "this" {
  name         = "tables"
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  plan_id      = aws_backup_plan.this.id
  resources    = var.table_arns

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}
