# the unit leaves PITR at the module's default (off): reported at the unit's source line
include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  # ruleid: DDB001
  source = "../../../modules//table"
}

inputs = {
  name = "defaults"
}
