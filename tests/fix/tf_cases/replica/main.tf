variable "replica_regions" {
  type = list(string)
}

resource "aws_dynamodb_table" "catalog" {
  name                        = "catalog"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  # nothing set: both are added, the `=` of the block aligned as terraform fmt does
  replica {
    region_name = "eu-west-1"
  }

  replica {
    region_name            = "ap-southeast-2"
    point_in_time_recovery = false # turned off for a test
  }

  replica {
    region_name = "us-west-2" # longest name below: no re-alignment needed
    deletion_protection_enabled = true
  }

  dynamic "replica" {
    for_each = var.replica_regions
    content {
      region_name = replica.value
    }
  }
}
