# The smoke user the deploy workflow logs in as after every shift of the live alias
# (scripts/smoke.py). Its password is drawn by Secrets Manager and kept in the secret the
# workflow reads; the password is in the state (an encrypted S3 state): it only logs in the
# smoke user, whom Terraform creates with it.

variable "smoke_user_email" {
  description = "Email (username) of the smoke-test user; a reserved, undeliverable address by default."
  type        = string
  default     = "smoke@planforge.invalid"
}

data "aws_secretsmanager_random_password" "smoke" {
  password_length            = 32
  exclude_punctuation        = true
  require_each_included_type = true
}

resource "aws_cognito_user" "smoke" {
  user_pool_id   = aws_cognito_user_pool.main.id
  username       = var.smoke_user_email
  password       = data.aws_secretsmanager_random_password.smoke.random_password
  message_action = "SUPPRESS"
  attributes = {
    email          = var.smoke_user_email
    email_verified = "true"
    name           = "Smoke test"
  }

  # A new random draw each plan; keep the first, as the secret below does.
  lifecycle {
    ignore_changes = [password]
  }
}

resource "aws_secretsmanager_secret" "smoke" {
  #checkov:skip=CKV2_AWS_57:Rotate with `terraform apply -replace=aws_cognito_user.smoke -replace=aws_secretsmanager_secret_version.smoke` (docs/operations.md).
  name                    = "${local.name}/smoke"
  description             = "Smoke-test user credentials {email, password} for scripts/smoke.py."
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "smoke" {
  secret_id = aws_secretsmanager_secret.smoke.id
  secret_string = jsonencode({
    email    = var.smoke_user_email
    password = aws_cognito_user.smoke.password
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}
