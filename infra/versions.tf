terraform {
  required_version = ">= 1.7.0" # removed blocks (infra/secrets.tf)

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Remote state in S3 with locking. Every setting comes from `-backend-config`
  # (see docs/deploy.md), so no account detail is committed here.
  backend "s3" {}
}
