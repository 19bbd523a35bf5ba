# Fixture for BKP008 (backup-role-cannot-back-up), Terraform HCL.

resource "aws_dynamodb_table" "bkp008_orders" {
  name         = "bkp008-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_backup_plan" "bkp008" {
  name = "bkp008"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 35
    }
  }
}

data "aws_partition" "current" {}

# --- passes: the managed policy attached by ARN with the partition, trust via jsonencode

resource "aws_iam_role" "bkp008_managed" {
  name = "bkp008-managed"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "bkp008_managed" {
  role       = aws_iam_role.bkp008_managed.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_backup_selection" "bkp008_managed" {
  name         = "managed"
  plan_id      = aws_backup_plan.bkp008.id
  # ok: BKP008
  iam_role_arn = aws_iam_role.bkp008_managed.arn
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}

# --- passes: inline policy with exactly the needed action, trust from a policy document

data "aws_iam_policy_document" "bkp008_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "bkp008_inline" {
  name               = "bkp008-inline"
  assume_role_policy = data.aws_iam_policy_document.bkp008_trust.json
}

resource "aws_iam_role_policy" "bkp008_inline" {
  name = "backup-tables"
  role = aws_iam_role.bkp008_inline.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:DescribeTable", "dynamodb:CreateBackup", "dynamodb:StartAwsBackupJob"]
      Resource = aws_dynamodb_table.bkp008_orders.arn
    }]
  })
}

resource "aws_backup_selection" "bkp008_inline" {
  name         = "inline"
  plan_id      = aws_backup_plan.bkp008.id
  # ok: BKP008
  iam_role_arn = aws_iam_role.bkp008_inline.arn
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}

# --- passes: a customer managed policy (heredoc JSON, dynamodb:*) through aws_iam_policy_attachment

resource "aws_iam_role" "bkp008_customer" {
  name               = "bkp008-customer"
  assume_role_policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Principal": {"Service": ["backup.amazonaws.com"]}, "Action": "sts:AssumeRole"}
      ]
    }
  JSON
}

resource "aws_iam_policy" "bkp008_dynamodb_all" {
  name   = "bkp008-dynamodb-all"
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]
    }
  JSON
}

resource "aws_iam_policy_attachment" "bkp008_customer" {
  name       = "bkp008-customer"
  roles      = [aws_iam_role.bkp008_customer.name]
  policy_arn = aws_iam_policy.bkp008_dynamodb_all.arn
}

resource "aws_backup_selection" "bkp008_customer" {
  name         = "customer"
  plan_id      = aws_backup_plan.bkp008.id
  # ok: BKP008
  iam_role_arn = aws_iam_role.bkp008_customer.arn
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}

# --- fails: the trust policy names another service

resource "aws_iam_role" "bkp008_wrong_trust" {
  name = "bkp008-wrong-trust"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"]
}

resource "aws_backup_selection" "bkp008_wrong_trust" {
  name         = "wrong-trust"
  plan_id      = aws_backup_plan.bkp008.id
  # ruleid: BKP008
  iam_role_arn = aws_iam_role.bkp008_wrong_trust.arn
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}

# --- fails: the policies grant no backup action (S3 only)

resource "aws_iam_role" "bkp008_no_grant" {
  name               = "bkp008-no-grant"
  assume_role_policy = data.aws_iam_policy_document.bkp008_trust.json

  inline_policy {
    name = "s3"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
    })
  }
}

resource "aws_backup_selection" "bkp008_no_grant" {
  name         = "no-grant"
  plan_id      = aws_backup_plan.bkp008.id
  # ruleid: BKP008
  iam_role_arn = aws_iam_role.bkp008_no_grant.arn
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}

# --- fails: a Deny overrides the managed policy

resource "aws_iam_role" "bkp008_denied" {
  name               = "bkp008-denied"
  assume_role_policy = data.aws_iam_policy_document.bkp008_trust.json
  managed_policy_arns = [
    "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  ]
}

resource "aws_iam_role_policy" "bkp008_denied" {
  name = "no-dynamodb-backups"
  role = aws_iam_role.bkp008_denied.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = ["dynamodb:CreateBackup", "dynamodb:StartAwsBackupJob"]
      Resource = "*"
    }]
  })
}

resource "aws_backup_selection" "bkp008_denied" {
  name         = "denied"
  plan_id      = aws_backup_plan.bkp008.id
  # ruleid: BKP008
  iam_role_arn = aws_iam_role.bkp008_denied.arn
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}

# --- a role outside the scan (literal ARN or variable): not judged, no result

variable "bkp008_backup_role_arn" {
  type = string
}

resource "aws_backup_selection" "bkp008_literal" {
  name         = "literal"
  plan_id      = aws_backup_plan.bkp008.id
  # ok: BKP008
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}

resource "aws_backup_selection" "bkp008_variable" {
  name         = "variable"
  plan_id      = aws_backup_plan.bkp008.id
  # ok: BKP008
  iam_role_arn = var.bkp008_backup_role_arn
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}

# --- note: the policy comes from a data source ddb-guard cannot evaluate

data "aws_iam_policy" "bkp008_existing" {
  name = "team-backup-policy"
}

resource "aws_iam_role" "bkp008_unknown" {
  name                = "bkp008-unknown"
  assume_role_policy  = data.aws_iam_policy_document.bkp008_trust.json
  managed_policy_arns = [data.aws_iam_policy.bkp008_existing.arn]
}

resource "aws_backup_selection" "bkp008_unknown" {
  name         = "unknown"
  plan_id      = aws_backup_plan.bkp008.id
  # unknown: BKP008
  iam_role_arn = aws_iam_role.bkp008_unknown.arn
  resources    = [aws_dynamodb_table.bkp008_orders.arn]
}
