pitr_from_tfvars = false
pitr_auto        = true
