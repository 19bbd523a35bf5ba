terraform {
  source = "../../modules//table"
}
