# Shared by the Terraform fixtures in this directory. Terraform reads every .tf and
# .tf.json file of a directory as one module, so the fixtures (BKP00N.tf) are loaded
# together: their resource and variable names are unique across files, and the provider
# and the backup vault are declared once, here.

provider "aws" {
  region = "us-east-1"
}

resource "aws_backup_vault" "main" {
  name = "main"
}
