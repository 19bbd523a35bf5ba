# Fixture for BKP001 (backup-frequent-long-retention-dynamodb), Terraform HCL.

variable "bkp001_retention" {
  type = number
}

resource "aws_dynamodb_table" "bkp001_orders" {
  name         = "bkp001-orders"
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

resource "aws_backup_plan" "bkp001_tables" {
  name = "bkp001-tables"

  rule {
    rule_name         = "daily-35"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      # ruleid: BKP001
      delete_after = 35
    }
  }

  rule {
    rule_name         = "daily-7"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 6 ? * * *)"

    lifecycle {
      # ok: BKP001
      delete_after = 7
    }
  }

  rule {
    rule_name         = "weekly-90"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      # ok: BKP001
      delete_after = 90
    }
  }

  rule {
    rule_name         = "daily-8"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 8 ? * * *)"

    lifecycle {
      # ruleid: BKP001
      delete_after = 8
    }
  }

  # Daily, never deleted: unbounded growth
  rule {
    rule_name         = "daily-forever"
    target_vault_name = aws_backup_vault.main.name
    # ruleid: BKP001
    schedule = "cron(0 9 ? * * *)"
  }

  rule {
    rule_name         = "daily-from-variable"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 7 ? * * *)"

    lifecycle {
      # unknown: BKP001
      delete_after = var.bkp001_retention
    }
  }
}

# Hourly rules overlap every other rule of a plan (AWS Backup then takes one backup, for the
# longer retention), so each has a plan of its own.
resource "aws_backup_plan" "bkp001_hourly_14" {
  name = "bkp001-hourly-14"

  rule {
    rule_name         = "hourly-14"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 * ? * * *)"

    lifecycle {
      # ruleid: BKP001
      delete_after = 14
    }
  }
}

resource "aws_backup_selection" "bkp001_hourly_14" {
  name         = "hourly-14"
  plan_id      = aws_backup_plan.bkp001_hourly_14.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_dynamodb_table.bkp001_orders.arn]
}
resource "aws_backup_plan" "bkp001_hourly_3" {
  name = "bkp001-hourly-3"

  # 72 copies: hourly, kept 3 days
  rule {
    rule_name         = "hourly-3"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(30 * ? * * *)"

    lifecycle {
      # ruleid: BKP001
      delete_after = 3
    }
  }
}

resource "aws_backup_selection" "bkp001_hourly_3" {
  name         = "hourly-3"
  plan_id      = aws_backup_plan.bkp001_hourly_3.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_dynamodb_table.bkp001_orders.arn]
}

# A real public module's example: a plan with only a rule name. AWS Backup runs it daily
# at 05:00 UTC and keeps every copy forever (BKP001 and BKP003).
resource "aws_backup_plan" "bkp001_name_only" {
  name = "bkp001-name-only"

  # ruleid: BKP001
  rule {
    rule_name         = "only-a-name"
    target_vault_name = aws_backup_vault.main.name
  }
}

resource "aws_backup_selection" "bkp001_name_only" {
  name         = "name-only"
  plan_id      = aws_backup_plan.bkp001_name_only.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_dynamodb_table.bkp001_orders.arn]
}

resource "aws_backup_selection" "bkp001_tables" {
  name         = "tables"
  plan_id      = aws_backup_plan.bkp001_tables.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_dynamodb_table.bkp001_orders.arn]
}

# The same daily 35-day rule on a plan that selects only EBS volumes.
resource "aws_backup_plan" "bkp001_volumes" {
  name = "bkp001-volumes"

  rule {
    rule_name         = "daily-35"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      # ok: BKP001
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "bkp001_volumes" {
  name         = "volumes"
  plan_id      = aws_backup_plan.bkp001_volumes.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = ["arn:aws:ec2:us-east-1:123456789012:volume/*"]
}
