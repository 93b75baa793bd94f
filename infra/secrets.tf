# Terraform creates the secrets only, never their values: a value set here would sit in the
# state. Operators put and rotate the values with `aws secretsmanager put-secret-value`
# (docs/operations.md); the function reads them at run time, cached for SECRETS_MAX_AGE_SECONDS.

# The Gemini API key.
resource "aws_secretsmanager_secret" "gemini_api_key" {
  #checkov:skip=CKV2_AWS_57:A third-party API key cannot be rotated by a Lambda; it is replaced by hand in Google's console and put here.
  name                    = "${local.name}/gemini-api-key"
  description             = "Gemini API key, the AI fallback provider."
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

# The HMAC key of pagination cursors. AWSCURRENT signs; AWSCURRENT and AWSPREVIOUS verify, so a
# rotation keeps the cursors clients are paging with valid until the next one.
resource "aws_secretsmanager_secret" "cursor" {
  #checkov:skip=CKV2_AWS_57:Rotated by hand with put-secret-value (docs/operations.md); the app verifies AWSPREVIOUS, so no rotation Lambda is needed.
  name                    = "${local.name}/cursor-secret"
  description             = "HMAC key of the API's pagination cursors (put by operators, never by Terraform)."
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

# The cursor key used to be drawn here and kept in the state. Forget that version without
# deleting it: it stays AWSCURRENT in Secrets Manager until an operator rotates it.
removed {
  from = aws_secretsmanager_secret_version.cursor

  lifecycle {
    destroy = false
  }
}
