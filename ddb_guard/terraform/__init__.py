"""Terraform front-end: HCL and .tf.json modules, plan JSON, to the normalized model."""
