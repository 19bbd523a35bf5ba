terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

variable "region" {
  type = string
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  deletion_protection_enabled = true

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = {
    backup = "daily"
  }
}

# ddb-guard:ignore DDB001 sessions are rebuilt from the event log
resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "sid"

  attribute {
    name = "sid"
    type = "S"
  }
}

resource "aws_dynamodb_table" "legacy" {
  name         = "legacy"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = false
  }
}

resource "aws_dynamodb_table" "catalog" {
  name             = "catalog"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "sku"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "sku"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  replica {
    region_name = "eu-west-1"
  }

  replica {
    region_name            = "ap-southeast-2"
    point_in_time_recovery = true
  }
}

resource "aws_dynamodb_table_replica" "orders_dr" {
  provider         = aws.dr
  global_table_arn = aws_dynamodb_table.orders.arn
}

module "backup" {
  source   = "./modules/backup"
  for_each = toset(["prod"])

  table_arns = [aws_dynamodb_table.orders.arn, aws_dynamodb_table.catalog.arn]
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.region}"
}
