output "api_url" {
  description = "Base URL of the API ($default stage, no path prefix)."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "user_pool_id" {
  description = "Cognito user pool id."
  value       = aws_cognito_user_pool.main.id
}

output "user_pool_client_id" {
  description = "Cognito app client id (no secret)."
  value       = aws_cognito_user_pool_client.api.id
}

output "assets_bucket" {
  description = "Bucket of uploaded assets."
  value       = aws_s3_bucket.assets.id
}

output "ecr_repository_url" {
  description = "Where the deploy workflow pushes images."
  value       = aws_ecr_repository.app.repository_url
}

output "jobs_queue_url" {
  description = "The jobs queue."
  value       = aws_sqs_queue.jobs.url
}

output "jobs_dlq_url" {
  description = "The jobs dead-letter queue, to inspect and redrive."
  value       = aws_sqs_queue.jobs_dlq.url
}

output "table_prefix" {
  description = "The app's TABLE_PREFIX."
  value       = local.table_prefix
}

output "deployed_image_tag" {
  description = "Image tag the function runs; empty before the first phase 2."
  value       = var.deploy_lambda ? var.image_tag : ""
}

output "gemini_api_key_secret_arn" {
  description = "Put the Gemini API key here (docs/deploy.md)."
  value       = aws_secretsmanager_secret.gemini_api_key.arn
}
