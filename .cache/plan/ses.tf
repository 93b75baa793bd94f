# The sender address. AWS emails a verification link to it on creation; until it is
# clicked (and the account leaves the SES sandbox) sends fail and the outbox retries.
resource "aws_sesv2_email_identity" "sender" {
  email_identity = var.ses_sender
}
