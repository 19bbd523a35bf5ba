variable "name" {
  description = "Table name"
  type        = string
}

variable "hash_key" {
  description = "Partition key attribute (string)"
  type        = string
}

variable "range_key" {
  description = "Sort key attribute (string), if any"
  type        = string
  default     = null
}

variable "pitr" {
  description = "Enable point-in-time recovery"
  type        = bool
  default     = false
}

variable "pitr_days" {
  description = "Point-in-time recovery window in days (1-35)"
  type        = number
  default     = 35
}

variable "deletion_protection" {
  description = "Enable deletion protection"
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for the table"
  type        = map(string)
  default     = {}
}
