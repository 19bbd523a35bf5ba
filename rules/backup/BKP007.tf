# Fixture for BKP007 (backup-continuous-backup-dynamodb), Terraform HCL.

resource "aws_dynamodb_table" "bkp007_orders" {
  name         = "bkp007-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_backup_plan" "bkp007_tables" {
  name = "bkp007-tables"

  rule {
    rule_name         = "continuous"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"
    # ruleid: BKP007
    enable_continuous_backup = true

    lifecycle {
      delete_after = 7
    }
  }

  # ok: BKP007
  rule {
    rule_name         = "snapshots"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * SUN *)"

    lifecycle {
      delete_after = 7
    }
  }
}

resource "aws_backup_selection" "bkp007_tables" {
  name         = "tables"
  plan_id      = aws_backup_plan.bkp007_tables.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_dynamodb_table.bkp007_orders.arn]
}

resource "aws_backup_plan" "bkp007_databases" {
  name = "bkp007-databases"

  rule {
    rule_name         = "continuous"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"
    # ok: BKP007
    enable_continuous_backup = true

    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "bkp007_databases" {
  name         = "databases"
  plan_id      = aws_backup_plan.bkp007_databases.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = ["arn:aws:rds:us-east-1:123456789012:db:billing"]
}
