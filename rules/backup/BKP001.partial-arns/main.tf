# Fixture for BKP001: backup selections whose resource ARNs are partly known. What is
# written literally decides what can be decided: an EC2 ARN is not DynamoDB whatever the
# variable holds; a DynamoDB ARN names DynamoDB whatever the table name part is; an ARN
# whose service is a variable cannot be decided.

provider "aws" {
  region = "us-east-1"
}

variable "region" {
  type = string
}

variable "env" {
  type = string
}

variable "service" {
  type = string
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_backup_plan" "instances" {
  name = "instances"

  rule {
    rule_name         = "daily-35"
    target_vault_name = "main"
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      # ok: BKP001
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "instances" {
  name         = "instances"
  plan_id      = aws_backup_plan.instances.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["arn:aws:ec2:${var.region}:123456789012:instance/*"]
}

resource "aws_backup_plan" "env_tables" {
  name = "env-tables"

  rule {
    rule_name         = "daily-35"
    target_vault_name = "main"
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      # ruleid: BKP001
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "env_tables" {
  name         = "env-tables"
  plan_id      = aws_backup_plan.env_tables.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["arn:aws:dynamodb:${var.region}:123456789012:table/${var.env}-orders"]
}

resource "aws_backup_plan" "any_service" {
  name = "any-service"

  rule {
    rule_name         = "daily-35"
    target_vault_name = "main"
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      # unknown: BKP001
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "any_service" {
  name         = "any-service"
  plan_id      = aws_backup_plan.any_service.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = ["arn:aws:${var.service}:us-east-1:123456789012:table/${var.env}"]
}
