include "envcommon" {
  path = "${get_terragrunt_dir()}/../_envcommon/table.hcl"
}

terraform {
  source = "../../modules//table"
}

inputs = {
  name = "shared"
}
