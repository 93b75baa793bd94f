# terraform plan -var-file=env/staging.tfvars; state key planforge/staging.tfstate (env/staging.backend.hcl).
stage                    = "staging"
environment              = "prod"
log_retention_days       = 7
canary_deployment_config = "CodeDeployDefault.LambdaAllAtOnce"
warmer_enabled           = false
provisioned_concurrency  = 0
