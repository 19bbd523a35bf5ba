terraform {
  source = "../../modules//table"
}

# PITR left at the module's default (off): the input is added
inputs = {
  name = "defaults"
}
