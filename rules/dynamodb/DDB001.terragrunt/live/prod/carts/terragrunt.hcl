include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "${get_terragrunt_dir()}/../../../modules//table?ref=v1.2.0"
}

inputs = {
  name = "carts"
  # ok: DDB001
  pitr = true
}
