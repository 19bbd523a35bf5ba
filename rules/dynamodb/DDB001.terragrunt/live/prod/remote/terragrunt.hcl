# a remote source that is not on disk: a notice, like an unresolved module source
terraform {
  source = "git::https://example.com/org/modules.git//table?ref=v1"
}

inputs = {
  name = "remote"
}
