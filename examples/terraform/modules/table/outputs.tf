output "arn" {
  description = "Table ARN"
  value       = aws_dynamodb_table.this.arn
}

output "name" {
  description = "Table name"
  value       = aws_dynamodb_table.this.name
}
