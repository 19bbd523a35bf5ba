# Parent configuration of every unit (included, never a unit itself).
locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals.env
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
provider "aws" {
  region = "eu-west-1"
}
EOF
}

inputs = {
  tags = { env = local.env }
}
