# Fixture for BKP009 (backup-kms-key-refuses), Terraform HCL.

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "bkp009_backup" {
  name = "bkp009-backup"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"]
}

# passes: the key policy delegates to the account root
resource "aws_kms_key" "bkp009_root" {
  description = "delegates to IAM"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnableIAMPolicies"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

# passes: no policy written, the default key policy delegates to the account
resource "aws_kms_key" "bkp009_default" {
  description = "default key policy"
}

# passes: the key policy names the backup role
resource "aws_kms_key" "bkp009_role" {
  description = "allows the backup role"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::123456789012:role/key-admin" }
        Action    = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:Put*", "kms:ScheduleKeyDeletion"]
        Resource  = "*"
      },
      {
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.bkp009_backup.arn }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"]
        Resource  = "*"
      },
    ]
  })
}

# fails: only the key administrators are allowed, IAM policies have no effect
resource "aws_kms_key" "bkp009_admins_only" {
  description = "admins only"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:role/key-admin" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

# fails: disabled
resource "aws_kms_key" "bkp009_disabled" {
  description = "disabled"
  is_enabled  = false
}

# unknown: the account comes from a data source
resource "aws_kms_key" "bkp009_caller" {
  description = "root from aws_caller_identity"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_dynamodb_table" "bkp009_root" {
  name     = "bkp009-root"
  hash_key = "pk"
  server_side_encryption {
    enabled = true
    # ok: BKP009
    kms_key_arn = aws_kms_key.bkp009_root.arn
  }
}

resource "aws_dynamodb_table" "bkp009_default" {
  name     = "bkp009-default"
  hash_key = "pk"
  server_side_encryption {
    enabled = true
    # ok: BKP009
    kms_key_arn = aws_kms_key.bkp009_default.arn
  }
}

resource "aws_dynamodb_table" "bkp009_role" {
  name     = "bkp009-role"
  hash_key = "pk"
  server_side_encryption {
    enabled = true
    # ok: BKP009
    kms_key_arn = aws_kms_key.bkp009_role.arn
  }
}

resource "aws_dynamodb_table" "bkp009_admins_only" {
  name     = "bkp009-admins-only"
  hash_key = "pk"
  server_side_encryption {
    enabled = true
    # ruleid: BKP009
    kms_key_arn = aws_kms_key.bkp009_admins_only.arn
  }
}

resource "aws_dynamodb_table" "bkp009_disabled" {
  name     = "bkp009-disabled"
  hash_key = "pk"
  server_side_encryption {
    enabled = true
    # ruleid: BKP009
    kms_key_arn = aws_kms_key.bkp009_disabled.arn
  }
}

resource "aws_dynamodb_table" "bkp009_caller" {
  name     = "bkp009-caller"
  hash_key = "pk"
  server_side_encryption {
    enabled = true
    # unknown: BKP009
    kms_key_arn = aws_kms_key.bkp009_caller.arn
  }
}

# a key outside the scan: not judged
resource "aws_dynamodb_table" "bkp009_outside" {
  name     = "bkp009-outside"
  hash_key = "pk"
  server_side_encryption {
    enabled = true
    # ok: BKP009
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }
}

resource "aws_backup_plan" "bkp009" {
  name = "bkp009"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 ? * * *)"
    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "bkp009" {
  name         = "tables"
  plan_id      = aws_backup_plan.bkp009.id
  iam_role_arn = aws_iam_role.bkp009_backup.arn
  resources = [
    aws_dynamodb_table.bkp009_root.arn,
    aws_dynamodb_table.bkp009_default.arn,
    aws_dynamodb_table.bkp009_role.arn,
    aws_dynamodb_table.bkp009_admins_only.arn,
    aws_dynamodb_table.bkp009_disabled.arn,
    aws_dynamodb_table.bkp009_caller.arn,
    aws_dynamodb_table.bkp009_outside.arn,
  ]
}
