locals {
  # A named stage (staging, production) names every resource; without one, the app environment.
  name       = "${var.project_name}-${var.stage == "" ? var.environment : var.stage}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # The app's TABLE_PREFIX: physical table name = "<table_prefix>-<logical name>".
  table_prefix  = local.name
  function_name = "${local.name}-api"
  # AI jobs run inside the function; the jobs queue's visibility is 6 x this (app/core/queues.py).
  lambda_timeout_seconds = 60

  bedrock_model_arns = length(var.bedrock_model_arns) > 0 ? var.bedrock_model_arns : [
    "arn:${local.partition}:bedrock:${var.aws_region}::foundation-model/${var.bedrock_model_id}",
  ]

  # Mirror of the tables the domains declare (app/domains.py: each domain.py, plus
  # app/core/tables.py). tests/infra/test_terraform_consistency.py fails on any drift.
  tables = {
    projects = {
      hash_key        = "projectId"
      range_key       = null
      ttl_attribute   = null
      holds_user_data = true
      indexes = [
        { name = "byOwner", hash_key = "ownerId", range_key = "createdAt" },
      ]
    }
    requirements = {
      hash_key        = "projectId"
      range_key       = "requirementId"
      ttl_attribute   = null
      holds_user_data = true
      indexes = [
        { name = "byProjectType", hash_key = "projectId", range_key = "typeKey" },
      ]
    }
    goals = {
      hash_key        = "goalId"
      range_key       = null
      ttl_attribute   = null
      holds_user_data = true
      indexes = [
        { name = "byOwner", hash_key = "ownerId", range_key = "createdAt" },
        { name = "byOwnerStatus", hash_key = "ownerStatus", range_key = "createdAt" },
        { name = "byOwnerCategory", hash_key = "ownerCategory", range_key = "createdAt" },
        { name = "byOwnerStatusCategory", hash_key = "ownerStatusCategory", range_key = "createdAt" },
      ]
    }
    goal-progress = {
      hash_key        = "goalId"
      range_key       = "entryKey"
      ttl_attribute   = null
      holds_user_data = true
      indexes         = []
    }
    aggregates = {
      hash_key        = "userId"
      range_key       = "itemKey"
      ttl_attribute   = "expiresAt"
      holds_user_data = true
      indexes         = []
    }
    waitlist = {
      hash_key        = "email"
      range_key       = null
      ttl_attribute   = null
      holds_user_data = true
      indexes = [
        { name = "byStatus", hash_key = "status", range_key = "createdAt" },
      ]
    }
    assets = {
      hash_key        = "assetId"
      range_key       = null
      ttl_attribute   = "expiresAt"
      holds_user_data = true
      indexes = [
        { name = "byOwner", hash_key = "ownerId", range_key = "createdAt" },
        { name = "byOwnerStatus", hash_key = "ownerStatus", range_key = "createdAt" },
      ]
    }
    ai-jobs = {
      hash_key        = "jobId"
      range_key       = null
      ttl_attribute   = "expiresAt"
      holds_user_data = true
      indexes = [
        { name = "byOwner", hash_key = "ownerId", range_key = "createdAt" },
      ]
    }
    ai-cache = {
      hash_key        = "cacheKey"
      range_key       = null
      ttl_attribute   = "expiresAt"
      holds_user_data = false
      indexes         = []
    }
    templates = {
      hash_key        = "templateId"
      range_key       = null
      ttl_attribute   = "expiresAt"
      holds_user_data = true
      indexes = [
        { name = "byOwner", hash_key = "ownerId", range_key = "createdAt" },
      ]
    }
    risks = {
      hash_key        = "projectId"
      range_key       = "riskId"
      ttl_attribute   = null
      holds_user_data = true
      indexes = [
        { name = "byScore", hash_key = "projectId", range_key = "scoreKey" },
        { name = "byStatus", hash_key = "projectStatus", range_key = "scoreKey" },
        { name = "byCategory", hash_key = "projectCategory", range_key = "scoreKey" },
        { name = "byStatusCategory", hash_key = "projectStatusCategory", range_key = "scoreKey" },
        { name = "byTitle", hash_key = "projectId", range_key = "titleKey" },
      ]
    }
    sessions = {
      hash_key        = "sessionId"
      range_key       = null
      ttl_attribute   = null
      holds_user_data = true
      indexes = [
        { name = "byOwner", hash_key = "ownerId", range_key = "activeAt" },
        { name = "byProject", hash_key = "projectId", range_key = "activeAt" },
      ]
    }
    session-messages = {
      hash_key        = "sessionId"
      range_key       = "messageId"
      ttl_attribute   = null
      holds_user_data = true
      indexes         = []
    }
    counters = {
      hash_key        = "counterKey"
      range_key       = null
      ttl_attribute   = "expiresAt"
      holds_user_data = false
      indexes         = []
    }
    outbox = {
      hash_key        = "outboxId"
      range_key       = null
      ttl_attribute   = "expiresAt"
      holds_user_data = true
      indexes = [
        { name = "bySweepShard", hash_key = "sweepShard", range_key = "createdAt" },
      ]
    }
    idempotency = {
      hash_key        = "id"
      range_key       = null
      ttl_attribute   = "expiration"
      holds_user_data = false
      indexes         = []
    }
  }

  # Every attribute used as a key by a table or one of its indexes, without duplicates.
  table_key_attributes = {
    for name, t in local.tables : name => distinct(compact(concat(
      [t.hash_key, t.range_key],
      flatten([for i in t.indexes : [i.hash_key, i.range_key]]),
    )))
  }
}
