# *.auto.tfvars are read after terraform.tfvars
pitr_auto = false
