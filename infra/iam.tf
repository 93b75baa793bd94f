# The function's role: exactly the tables, indexes, bucket prefix, queue, models, sender
# identity and secrets the app uses, and nothing else; tests/infra/test_iam_actions.py checks
# the actions against the ones the code calls.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "${local.function_name}-role"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "lambda" {
  name   = "app"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}

locals {
  table_arns = [for t in values(local.all_tables) : t.arn]
  index_arns = flatten([
    for name, t in local.tables : [
      for i in t.indexes : "${local.all_tables[name].arn}/index/${i.name}"
    ]
  ])
}

data "aws_iam_policy_document" "lambda" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda.arn}:*"]
  }

  # X-Ray has no resource-level permissions: AWS requires "*" for these two actions.
  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  # TransactWriteItems is authorised through the per-item actions of its Put, Update and Delete
  # items; no transaction holds a ConditionCheck item, and nothing reads in batches.
  statement {
    sid = "Tables"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:Query",
    ]
    resources = local.table_arns
  }

  # Lists read through GSIs with Query only; Scan is granted nowhere.
  statement {
    sid       = "Indexes"
    actions   = ["dynamodb:Query"]
    resources = local.index_arns
  }

  # Presigned POST and GET are signed with this role, so it needs the object actions itself.
  statement {
    sid       = "Assets"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.assets.arn}/users/*"]
  }

  # Without ListBucket, HEAD on a missing object answers 403 instead of 404, and `complete`
  # could not tell "not uploaded yet" (409) from a permissions fault.
  statement {
    sid       = "AssetsList"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.assets.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["users/*"]
    }
  }

  # Milestone emails look up the recipient by sub; access tokens carry no email.
  statement {
    sid       = "UserLookup"
    actions   = ["cognito-idp:AdminGetUser"]
    resources = [aws_cognito_user_pool.main.arn]
  }

  # The app sends; the event source mapping receives, deletes and reads attributes as the
  # function. Failed messages come back by their visibility timeout, never changed by hand.
  statement {
    sid = "JobsQueue"
    actions = [
      "sqs:SendMessage",
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
    ]
    resources = [aws_sqs_queue.jobs.arn]
  }

  # Tables, bucket objects, secrets and the environment are encrypted with the stack key.
  statement {
    sid       = "StackKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.main.arn]
  }

  # Converse is authorised as InvokeModel; nothing streams.
  statement {
    sid       = "Bedrock"
    actions   = ["bedrock:InvokeModel"]
    resources = local.bedrock_model_arns
  }

  statement {
    sid       = "SendEmail"
    actions   = ["ses:SendEmail"]
    resources = [aws_sesv2_email_identity.sender.arn]
    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [var.ses_sender]
    }
  }

  # Exactly the two secrets the app reads (AWSCURRENT, and AWSPREVIOUS of the cursor key).
  statement {
    sid       = "Secrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.gemini_api_key.arn, aws_secretsmanager_secret.cursor.arn]
  }

  # Only where sign-ups are confirmed without a code (dev); prod never has this grant.
  dynamic "statement" {
    for_each = var.cognito_auto_confirm ? [1] : []
    content {
      sid = "AutoConfirm"
      # AdminDeleteUser undoes a sign-up whose confirmation failed, so a retry can register.
      actions   = ["cognito-idp:AdminConfirmSignUp", "cognito-idp:AdminDeleteUser"]
      resources = [aws_cognito_user_pool.main.arn]
    }
  }
}
