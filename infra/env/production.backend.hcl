# terraform init -backend-config=env/production.backend.hcl -backend-config="bucket=<state bucket>"
key          = "planforge/production.tfstate"
encrypt      = true
use_lockfile = true
