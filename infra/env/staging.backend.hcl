# terraform init -backend-config=env/staging.backend.hcl -backend-config="bucket=<state bucket>"
key          = "planforge/staging.tfstate"
encrypt      = true
use_lockfile = true
