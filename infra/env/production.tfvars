# terraform plan -var-file=env/production.tfvars; state key planforge/production.tfstate.
stage                    = "production"
environment              = "prod"
log_retention_days       = 30
canary_deployment_config = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
warmer_enabled           = false
provisioned_concurrency  = 0
