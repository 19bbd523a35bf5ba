variable "region" {
  type = string
}

resource "aws_backup_vault" "this" {
  name = "continuous-${var.region}"
}

resource "aws_backup_plan" "this" {
  name = "continuous-${var.region}"
  rule {
    rule_name                = "continuous"
    target_vault_name        = aws_backup_vault.this.name
    schedule                 = "cron(0 5 * * ? *)"
    enable_continuous_backup = true
    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "this" {
  name         = "continuous"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "continuous"
  }
}
