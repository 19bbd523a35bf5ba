# a remote module, downloaded by `terraform init` into .terraform/modules (never edited)
module "orders" {
  source = "git::https://example.com/org/table.git?ref=v1"
  name   = "orders"
}
