include "root" {
  path = find_in_parent_folders("root.hcl")
}

dependency "flags" {
  config_path = "../flags"
}

terraform {
  source = "../../../modules//table"
}

# a dependency's outputs are known only after that unit is applied: a note naming it
inputs = {
  name = "from-dependency"
  # unknown: DDB001
  pitr = dependency.flags.outputs.pitr
}
