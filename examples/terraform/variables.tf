variable "region" {
  description = "Primary AWS region"
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)"
  type        = string
  default     = "dev"
}

variable "carts_pitr" {
  description = "Point-in-time recovery for the carts table"
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "How long the daily AWS Backup copies are kept"
  type        = number
  default     = 35
}
