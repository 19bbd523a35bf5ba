environment           = "prod"
backup_retention_days = 35
