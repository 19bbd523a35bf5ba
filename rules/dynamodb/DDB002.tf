# Fixture for DDB002 (dynamodb-pitr-window-short), Terraform HCL.

variable "window_days" {
  type    = number
  default = 7
}

variable "window_unset" {
  type = number
}

resource "aws_dynamodb_table" "ddb002_week" {
  name     = "week"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
    # ruleid: DDB002
    recovery_period_in_days = 7
  }
}

resource "aws_dynamodb_table" "ddb002_full_window" {
  name     = "full-window"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
    # ok: DDB002
    recovery_period_in_days = 35
  }
}

# ok: DDB002
resource "aws_dynamodb_table" "ddb002_default_window" {
  name     = "default-window"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_dynamodb_table" "ddb002_pitr_off_short_window" {
  name     = "pitr-off"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = false
    # ok: DDB002
    recovery_period_in_days = 1
  }
}

resource "aws_dynamodb_table" "ddb002_from_variable" {
  name     = "from-variable"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
    # ruleid: DDB002
    recovery_period_in_days = var.window_days
  }
}

resource "aws_dynamodb_table" "ddb002_unresolved" {
  name     = "unresolved"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
    # unknown: DDB002
    recovery_period_in_days = var.window_unset
  }
}
