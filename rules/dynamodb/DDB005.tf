# Fixture for DDB005 (dynamodb-replica-pitr-disabled), Terraform HCL.

# Providers: see _providers.tf (every .tf file in a directory belongs to one module).

variable "replica_pitr" {
  type    = bool
  default = true
}

variable "replica_regions" {
  type = list(string)
}

resource "aws_dynamodb_table" "ddb005_catalog" {
  name             = "catalog"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  # ruleid: DDB005
  replica {
    region_name = "eu-west-1"
  }

  replica {
    region_name = "ap-southeast-2"
    # ruleid: DDB005
    point_in_time_recovery = false
  }

  # ok: DDB005
  replica {
    region_name = "us-west-2"
    # ok: DDB005
    point_in_time_recovery = true
  }

  replica {
    region_name = "ca-central-1"
    # ok: DDB005
    point_in_time_recovery = var.replica_pitr
  }
}

resource "aws_dynamodb_table" "ddb005_dynamic_replicas" {
  name             = "dynamic-replicas"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  # ruleid: DDB005
  dynamic "replica" {
    for_each = ["eu-central-1"]
    content {
      region_name = replica.value
    }
  }
}

resource "aws_dynamodb_table" "ddb005_unknown_replicas" {
  name             = "unknown-replicas"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  dynamic "replica" {
    # unknown: DDB005
    for_each = var.replica_regions
    content {
      region_name            = replica.value
      point_in_time_recovery = true
    }
  }
}

resource "aws_dynamodb_table" "ddb005_primary" {
  provider         = aws
  name             = "primary"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "pk"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  lifecycle {
    ignore_changes = [replica]
  }
}

# ruleid: DDB005
resource "aws_dynamodb_table_replica" "ddb005_eu_without_pitr" {
  provider         = aws.eu
  global_table_arn = aws_dynamodb_table.ddb005_primary.arn
}

resource "aws_dynamodb_table_replica" "ddb005_eu_with_pitr" {
  provider         = aws.eu
  global_table_arn = aws_dynamodb_table.ddb005_primary.arn
  # ok: DDB005
  point_in_time_recovery = true
}
