locals {
  is_prod = var.environment == "prod"
}

# Orders: the system of record. Protected and covered by PITR.
module "orders" {
  source = "./modules/table"

  name                = "shop-orders-${var.environment}"
  hash_key            = "order_id"
  range_key           = "created_at"
  pitr                = true
  deletion_protection = local.is_prod
  tags = {
    backup = "daily"
  }
}

# Carts: PITR left to a variable whose default is off.
module "carts" {
  source = "./modules/table"

  name                = "shop-carts-${var.environment}"
  hash_key            = "cart_id"
  pitr                = var.carts_pitr
  deletion_protection = true
  tags = {
    backup = "daily"
  }
}

# Sessions: short-lived data with a TTL; nothing to restore.
resource "aws_dynamodb_table" "sessions" {
  # ddb-guard:ignore DDB001 sessions expire after 24 hours; users sign in again after a loss
  name         = "shop-sessions-${var.environment}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "session_id"

  attribute {
    name = "session_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
}

# Catalog: a global table read in three regions.
resource "aws_dynamodb_table" "catalog" {
  name                        = "shop-catalog-${var.environment}"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "sku"
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  deletion_protection_enabled = true

  attribute {
    name = "sku"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  replica {
    region_name                 = "eu-west-1"
    point_in_time_recovery      = true
    deletion_protection_enabled = true
  }

  replica {
    region_name = "ap-southeast-2"
  }

  tags = {
    backup = "weekly"
  }
}
