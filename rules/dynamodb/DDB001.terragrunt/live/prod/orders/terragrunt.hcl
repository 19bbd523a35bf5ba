include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//table"
}

# the unit's input decides: reported here, the module line in relatedLocations
inputs = {
  name = "orders-${path_relative_to_include()}"
  # ruleid: DDB001
  pitr = false
}
