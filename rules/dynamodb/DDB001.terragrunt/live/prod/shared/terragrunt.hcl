# PITR comes from an included file shared by several units: reported at this unit's source
# line (the shared line is a related location)
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path   = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/table.hcl"
  expose = true
}

terraform {
  # ruleid: DDB001
  source = "../../../modules//table"
}

inputs = {
  name = "shared"
}
