# Fixture for DDB005 (dynamodb-replica-pitr-disabled), Terraform HCL.

# Providers: see _providers.tf (every .tf file in a directory belongs to one module).

variable "replica_pitr" {
  type    = bool
  default = true
}

variable "replica_regions" {
  type = list(string)
}

variable "secondary_region" {
  type = string
}

variable "replica_settings" {
  type = list(object({ region = string, pitr = bool }))
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

  # which replicas exist depends on var.replica_regions (no default); what each one is
  # does not: every replica this block creates has PITR on
  dynamic "replica" {
    for_each = var.replica_regions
    content {
      region_name = replica.value
      # ok: DDB005
      point_in_time_recovery = true
    }
  }
}

resource "aws_dynamodb_table" "ddb005_optional_secondary" {
  name             = "optional-secondary"
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

  # whether the replica exists depends on an input without default; the replica it
  # creates has no PITR whatever the input: a failure at the rule's level, "when created"
  # ruleid: DDB005
  dynamic "replica" {
    for_each = var.secondary_region == "" ? [] : [1]
    content {
      region_name = var.secondary_region
    }
  }
}

resource "aws_dynamodb_table" "ddb005_replica_settings_from_input" {
  name             = "replica-settings"
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

  # here PITR itself comes from the input: it truly depends on it (note)
  dynamic "replica" {
    for_each = var.replica_settings
    content {
      region_name = replica.value.region
      # unknown: DDB005
      point_in_time_recovery = replica.value.pitr
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
