# Shared by the Terraform fixtures in this directory. Terraform reads every .tf and
# .tf.json file of a directory as one module, so the fixtures (DDB00N.tf) are loaded
# together: their resource and variable names are unique across files, and providers
# are declared once, here.

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}
