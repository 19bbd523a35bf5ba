terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.9"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      service     = "shop"
      environment = var.environment
    }
  }
}
