# The dashboard and the alarms the issue asks for; every alarm notifies the SNS topic in
# alarms.tf. Thresholds are variables; tests/infra/test_observability.py pins them.

locals {
  api_dimensions = { ApiId = aws_apigatewayv2_api.http.id, Stage = "$default" }
  fn_dimensions  = { FunctionName = local.function_name }
  table_names    = { for name, _ in local.tables : name => "${local.table_prefix}-${name}" }
}

resource "aws_cloudwatch_metric_alarm" "api_latency_p90" {
  alarm_name          = "${local.name}-api-latency-p90"
  alarm_description   = "API p90 latency above ${var.alarm_api_p90_ms} ms for 3 of 5 minutes."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = local.api_dimensions
  extended_statistic  = "p90"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.alarm_api_p90_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "errors_per_minute" {
  alarm_name          = "${local.function_name}-errors-per-minute"
  alarm_description   = "More than ${var.alarm_errors_per_minute} function errors in a minute."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = local.fn_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.alarm_errors_per_minute
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "duration_near_timeout" {
  alarm_name          = "${local.function_name}-duration-near-timeout"
  alarm_description   = "An invocation took over 80% of the ${local.lambda_timeout_seconds} s timeout."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = local.fn_dimensions
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = local.lambda_timeout_seconds * 1000 * 0.8
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  for_each = local.table_names

  alarm_name          = "${each.value}-throttles"
  alarm_description   = "DynamoDB throttled reads or writes on ${each.value}."
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "throttles"
    expression  = "reads + writes"
    label       = "Throttle events"
    return_data = true
  }
  metric_query {
    id = "reads"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ReadThrottleEvents"
      dimensions  = { TableName = each.value }
      stat        = "Sum"
      period      = 60
    }
  }
  metric_query {
    id = "writes"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "WriteThrottleEvents"
      dimensions  = { TableName = each.value }
      stat        = "Sum"
      period      = 60
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "ai_failure_rate" {
  alarm_name          = "${local.name}-ai-failure-rate"
  alarm_description   = "Over ${var.alarm_ai_failure_percent}% of finished AI jobs failed in 15 minutes."
  evaluation_periods  = 1
  threshold           = var.alarm_ai_failure_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(finished > 0, 100 * failed / finished, 0)"
    label       = "AI job failure %"
    return_data = true
  }
  metric_query {
    id = "failed"
    metric {
      namespace   = "Planforge"
      metric_name = "AiJobsFailed"
      stat        = "Sum"
      period      = 900
    }
  }
  metric_query {
    id = "finished"
    metric {
      namespace   = "Planforge"
      metric_name = "AiJobsFinished"
      stat        = "Sum"
      period      = 900
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "ses_bounce_rate" {
  alarm_name          = "${local.name}-ses-bounce-rate"
  alarm_description   = "SES account bounce rate above ${var.alarm_ses_bounce_rate}."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.alarm_ses_bounce_rate
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

locals {
  api_id = aws_apigatewayv2_api.http.id
  region = var.aws_region
  fn     = local.function_name
  widget = { type = "metric", width = 12, height = 6 }
  dashboard_widgets = [
    { title = "API latency (ms)", metrics = [
      for p in ["p50", "p90", "p99"] : ["AWS/ApiGateway", "Latency", "ApiId", local.api_id, "Stage", "$default", { stat = p }]
    ] },
    { title = "API 4xx / 5xx", metrics = [
      for m in ["4xx", "5xx"] : ["AWS/ApiGateway", m, "ApiId", local.api_id, "Stage", "$default", { stat = "Sum" }]
    ] },
    { title = "Lambda duration (ms)", metrics = [
      for s in ["p50", "p99", "Maximum"] : ["AWS/Lambda", "Duration", "FunctionName", local.fn, { stat = s }]
    ] },
    { title = "Lambda errors, throttles, concurrency", metrics = [
      ["AWS/Lambda", "Errors", "FunctionName", local.fn, { stat = "Sum" }],
      ["AWS/Lambda", "Throttles", "FunctionName", local.fn, { stat = "Sum" }],
      ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", local.fn, { stat = "Maximum" }],
    ] },
    { title = "DynamoDB throttles", metrics = flatten([
      for name in values(local.table_names) : [
        ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", name, { stat = "Sum" }],
        ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", name, { stat = "Sum" }],
      ]
    ]) },
    { title = "Jobs queue depth, oldest age (s), DLQ depth", metrics = [
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.jobs.name, { stat = "Maximum" }],
      ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.jobs.name, { stat = "Maximum", yAxis = "right" }],
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.jobs_dlq.name, { stat = "Maximum" }],
    ] },
    { title = "AI jobs, failures, failovers by engine", metrics = [
      [{ expression = "SEARCH('{Planforge,kind} MetricName=\"AiJobsRequested\"', 'Sum', 300)", label = "requested" }],
      [{ expression = "SEARCH('{Planforge,code,kind} MetricName=\"AiJobFailures\"', 'Sum', 300)", label = "failed" }],
      [{ expression = "SEARCH('{Planforge,engine} MetricName=\"AiFailovers\"', 'Sum', 300)", label = "failovers" }],
    ] },
    { title = "SES sends, bounces, complaints", metrics = [
      for m in ["Send", "Bounce", "Complaint"] : ["AWS/SES", m, { stat = "Sum" }]
    ] },
    { title = "Per-route latency (ms) and cold starts", metrics = [
      [{ expression = "SEARCH('{Planforge,route} MetricName=\"RouteLatency\"', 'p90', 300)", label = "p90" }],
      ["Planforge", "ColdStart", "service", "planforge", { stat = "Sum", yAxis = "right" }],
    ] },
  ]
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = [
      for i, w in local.dashboard_widgets : merge(local.widget, {
        x = (i % 2) * 12
        y = floor(i / 2) * 6
        properties = {
          title   = w.title
          region  = local.region
          view    = "timeSeries"
          stacked = false
          metrics = w.metrics
          period  = 60
        }
      })
    ]
  })
}
