# The one function: HTTP requests through API Gateway and SQS batches from the jobs queue.
# Created only in phase 2 (deploy_lambda = true), once its image is in ECR.

resource "aws_cloudwatch_log_group" "lambda" {
  #checkov:skip=CKV_AWS_338:Retention is per stage (7 days staging, 30 production): request ids and traces are investigated within days; docs/operations.md gives the reasons.
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_lambda_function" "api" {
  #checkov:skip=CKV_AWS_116:Never invoked asynchronously: API Gateway calls it synchronously and the SQS source has its own DLQ through the redrive policy.
  #checkov:skip=CKV_AWS_117:It reaches only AWS public endpoints (IAM-authorised, TLS) and Gemini; a VPC would add NAT cost and cold-start latency for nothing private.
  #checkov:skip=CKV_AWS_272:Code signing applies to .zip packages only; an image function is pinned to an immutable, scanned ECR tag instead.
  count = var.deploy_lambda ? 1 : 0

  function_name = local.function_name
  role          = aws_iam_role.lambda.arn
  package_type  = "Image"
  # Every apply publishes a numbered version; traffic reaches it only through the `live`
  # alias, which CodeDeploy shifts (infra/deploy.tf).
  publish = true
  # By digest when the workflow promotes one (the bytes CI tested), by tag otherwise.
  image_uri = var.image_digest == "" ? "${aws_ecr_repository.app.repository_url}:${var.image_tag}" : "${aws_ecr_repository.app.repository_url}@${var.image_digest}"
  # x86_64: the image is built on GitHub's amd64 runners without emulation, and every
  # wheel in the runtime lock is published for it.
  architectures = ["x86_64"]
  # 1024 MB buys about 0.6 vCPU: pydantic, FastAPI and langchain imports dominate cold
  # starts and scale with CPU, while steady requests use far less memory than this.
  memory_size = var.lambda_memory_mb
  # AI generation (Bedrock, then Gemini) runs in queued jobs and may take tens of seconds;
  # API Gateway still cuts HTTP requests at 30 s. The queue's visibility is 6 x this.
  timeout                        = local.lambda_timeout_seconds
  reserved_concurrent_executions = var.lambda_reserved_concurrency
  kms_key_arn                    = aws_kms_key.main.arn

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.lambda.name
  }

  # Every name here is a field of app.core.config.Settings (checked by tests/infra).
  # AWS_REGION is set by Lambda itself. Secrets are passed by ARN, never by value.
  environment {
    variables = {
      ENVIRONMENT               = var.environment
      APP_VERSION               = var.image_tag
      LOG_LEVEL                 = "INFO"
      TABLE_PREFIX              = local.table_prefix
      JOBS_QUEUE_URL            = aws_sqs_queue.jobs.url
      ASSETS_BUCKET             = aws_s3_bucket.assets.id
      COGNITO_USER_POOL_ID      = aws_cognito_user_pool.main.id
      COGNITO_CLIENT_ID         = aws_cognito_user_pool_client.api.id
      COGNITO_AUTO_CONFIRM      = tostring(var.cognito_auto_confirm)
      CORS_ORIGINS              = join(",", var.allowed_origins)
      CURSOR_SECRET_ARN         = aws_secretsmanager_secret.cursor.arn
      SES_SENDER                = var.ses_sender
      APP_URL                   = var.app_url
      ASSET_TTL_DAYS            = tostring(var.asset_ttl_days)
      BEDROCK_MODEL_ID          = var.bedrock_model_id
      GEMINI_MODEL              = var.gemini_model
      GEMINI_API_KEY_SECRET_ARN = aws_secretsmanager_secret.gemini_api_key.arn
    }
  }

  lifecycle {
    precondition {
      condition     = var.image_tag != ""
      error_message = "deploy_lambda = true needs image_tag (the pushed image's tag)."
    }
    precondition {
      condition     = !(var.cognito_auto_confirm && var.environment == "prod")
      error_message = "cognito_auto_confirm must stay false in prod."
    }
  }

  depends_on = [aws_iam_role_policy.lambda]
}

resource "aws_lambda_event_source_mapping" "jobs" {
  count = var.deploy_lambda ? 1 : 0

  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_alias.live[0].arn
  # Most jobs take milliseconds (notifications, S3 events); a small batch bounds how many
  # messages a slow AI job can drag into a timeout with it.
  batch_size                         = var.jobs_batch_size
  maximum_batching_window_in_seconds = 1
  # The worker reports failed message ids; only those are retried, then dead-lettered.
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.jobs_max_concurrency
  }
}

# The transactional outbox sweep: re-sends notifications whose SendMessage failed after commit.
# app.handler routes this "Scheduled Event" to app.core.outbox.sweep.
resource "aws_cloudwatch_event_rule" "outbox_sweep" {
  count = var.deploy_lambda ? 1 : 0

  name                = "${local.name}-outbox-sweep"
  description         = "Re-send outbox notifications older than OUTBOX_SWEEP_AGE_SECONDS."
  schedule_expression = "rate(1 minute)"
}

resource "aws_cloudwatch_event_target" "outbox_sweep" {
  count = var.deploy_lambda ? 1 : 0

  rule = aws_cloudwatch_event_rule.outbox_sweep[0].name
  arn  = aws_lambda_alias.live[0].arn
}

resource "aws_lambda_permission" "outbox_sweep" {
  count = var.deploy_lambda ? 1 : 0

  statement_id  = "AllowOutboxSweepSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api[0].function_name
  qualifier     = aws_lambda_alias.live[0].name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.outbox_sweep[0].arn
}
