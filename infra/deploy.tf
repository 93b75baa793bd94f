# The live alias, CodeDeploy's gradual traffic shift onto a new version with alarm rollback,
# provisioned concurrency and the optional warmer. API Gateway, the jobs queue and the outbox
# schedule all invoke the alias, never $LATEST.

resource "aws_lambda_alias" "live" {
  count = var.deploy_lambda ? 1 : 0

  name             = "live"
  description      = "The version serving traffic; CodeDeploy moves it (deploy workflow)."
  function_name    = aws_lambda_function.api[0].function_name
  function_version = aws_lambda_function.api[0].version

  # After the first apply the alias belongs to CodeDeploy (canary) and the rollback workflow;
  # an apply publishes a version but must not jump all traffic onto it.
  lifecycle {
    ignore_changes = [function_version, routing_config]
  }
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  count = var.deploy_lambda && var.provisioned_concurrency > 0 ? 1 : 0

  function_name                     = aws_lambda_function.api[0].function_name
  qualifier                         = aws_lambda_alias.live[0].name
  provisioned_concurrent_executions = var.provisioned_concurrency
}

resource "aws_codedeploy_app" "api" {
  name             = local.function_name
  compute_platform = "Lambda"
}

data "aws_iam_policy_document" "codedeploy_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  name               = "${local.name}-codedeploy"
  assume_role_policy = data.aws_iam_policy_document.codedeploy_assume.json
}

# AWS's managed policy for Lambda deployments: update aliases, read alarms, publish to SNS.
resource "aws_iam_role_policy_attachment" "codedeploy" {
  role       = aws_iam_role.codedeploy.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"
}

locals {
  # A breach of any of these during the shift stops the deployment and moves the alias back.
  canary_alarms = [
    aws_cloudwatch_metric_alarm.errors_per_minute.alarm_name,
    aws_cloudwatch_metric_alarm.api_latency_p90.alarm_name,
    aws_cloudwatch_metric_alarm.api_5xx.alarm_name,
    aws_cloudwatch_metric_alarm.duration_near_timeout.alarm_name,
  ]
}

resource "aws_codedeploy_deployment_group" "api" {
  app_name               = aws_codedeploy_app.api.name
  deployment_group_name  = "live"
  service_role_arn       = aws_iam_role.codedeploy.arn
  deployment_config_name = var.canary_deployment_config

  deployment_style {
    deployment_type   = "BLUE_GREEN"
    deployment_option = "WITH_TRAFFIC_CONTROL"
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }

  alarm_configuration {
    enabled = true
    alarms  = local.canary_alarms
  }
}

# The warmer: a scheduled event the handler answers before touching the app (app/handler.py).
resource "aws_cloudwatch_event_rule" "warmer" {
  count = var.deploy_lambda && var.warmer_enabled ? 1 : 0

  name                = "${local.name}-warmer"
  description         = "Keep one execution environment of the live alias warm."
  schedule_expression = "rate(5 minutes)"
}

resource "aws_cloudwatch_event_target" "warmer" {
  count = var.deploy_lambda && var.warmer_enabled ? 1 : 0

  rule  = aws_cloudwatch_event_rule.warmer[0].name
  arn   = aws_lambda_alias.live[0].arn
  input = jsonencode({ warmer = true })
}

resource "aws_lambda_permission" "warmer" {
  count = var.deploy_lambda && var.warmer_enabled ? 1 : 0

  statement_id  = "AllowWarmerSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api[0].function_name
  qualifier     = aws_lambda_alias.live[0].name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.warmer[0].arn
}

output "function_name" {
  description = "The function CodeDeploy and the rollback workflow move the live alias of."
  value       = local.function_name
}

output "function_version" {
  description = "The version this apply published; the deploy workflow shifts live onto it."
  value       = var.deploy_lambda ? aws_lambda_function.api[0].version : ""
}

output "codedeploy_app" {
  description = "CodeDeploy application and deployment group of the live alias."
  value       = { app = aws_codedeploy_app.api.name, group = aws_codedeploy_deployment_group.api.deployment_group_name }
}
