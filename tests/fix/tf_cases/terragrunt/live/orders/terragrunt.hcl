terraform {
  source = "../../modules//table"
}

inputs = {
  name = "orders"
  pitr = false # the unit's input decides
}
