resource "aws_backup_vault" "shop" {
  name = "shop-${var.environment}"
}

data "aws_iam_policy_document" "backup_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name               = "shop-backup-${var.environment}"
  assume_role_policy = data.aws_iam_policy_document.backup_assume.json
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_backup_plan" "tables" {
  name = "shop-tables-${var.environment}"

  # Daily full copies kept for the retention period.
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.shop.name
    schedule          = "cron(0 3 ? * * *)"
    start_window      = 60
    completion_window = 240

    lifecycle {
      delete_after = var.backup_retention_days
    }
  }

  # Weekly copies for a year, all in warm storage.
  rule {
    rule_name         = "weekly"
    target_vault_name = aws_backup_vault.shop.name
    schedule          = "cron(0 4 ? * SUN *)"

    lifecycle {
      delete_after = 365
    }
  }
}

# Selection by reference: the orders table.
resource "aws_backup_selection" "orders" {
  name         = "orders"
  plan_id      = aws_backup_plan.tables.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [module.orders.arn]
}

# Selection by tag: every resource tagged backup = daily.
resource "aws_backup_selection" "tagged" {
  name         = "tagged-daily"
  plan_id      = aws_backup_plan.tables.id
  iam_role_arn = aws_iam_role.backup.arn

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}
