variable "aws_region" {
  description = "Region of every resource in this stack."
  type        = string
  default     = "us-east-1"
}

variable "project_name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "planforge"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.project_name))
    error_message = "project_name must be 2-21 lower-case letters, digits or dashes."
  }
}

variable "environment" {
  description = "Deployment environment; the app's ENVIRONMENT setting."
  type        = string
  default     = "prod"

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "deploy_lambda" {
  description = "Phase 2 switch: false creates everything but the function (the image does not exist yet)."
  type        = bool
  default     = false
}

variable "image_tag" {
  description = "ECR image tag the function runs (the commit SHA); required when deploy_lambda is true."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{0,128}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag."
  }
}

variable "allowed_origins" {
  description = "Exact browser origins allowed by CORS on the API and the assets bucket."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.allowed_origins : can(regex("^https?://[^*/]+$", o))])
    error_message = "allowed_origins must be exact origins like https://app.example.com, never *."
  }
}

variable "ses_sender" {
  description = "Email address the app sends from; an SES identity is created for it."
  type        = string
  default     = "no-reply@example.com"
}

variable "app_url" {
  description = "Public URL of the web app, used in links inside emails."
  type        = string
  default     = "https://app.example.com"
}

variable "cognito_auto_confirm" {
  description = "Confirm sign-ups without an email code (dev only; refused by the app in prod)."
  type        = bool
  default     = false
}

variable "bedrock_model_id" {
  description = "Bedrock model the AI features call first."
  type        = string
  default     = "anthropic.claude-3-haiku-20240307-v1:0"
}

variable "bedrock_model_arns" {
  description = "Model or inference-profile ARNs the function may invoke; empty means the foundation model of bedrock_model_id in aws_region."
  type        = list(string)
  default     = []
}

variable "gemini_model" {
  description = "Gemini model used when Bedrock fails."
  type        = string
  default     = "gemini-2.0-flash"
}

variable "asset_ttl_days" {
  description = "Days an uploaded asset lives; the bucket lifecycle and the app's ASSET_TTL_DAYS agree."
  type        = number
  default     = 30
}

variable "lambda_memory_mb" {
  description = "Function memory; CPU share grows with it."
  type        = number
  default     = 1024
}

variable "lambda_reserved_concurrency" {
  description = "Hard cap on concurrent executions, protecting DynamoDB, Bedrock quotas and the bill."
  type        = number
  default     = 50
}

variable "jobs_max_concurrency" {
  description = "Most concurrent function instances the jobs queue may drive (2-1000)."
  type        = number
  default     = 5

  validation {
    condition     = var.jobs_max_concurrency >= 2 && var.jobs_max_concurrency <= 1000
    error_message = "jobs_max_concurrency must be between 2 and 1000."
  }
}

variable "jobs_batch_size" {
  description = "Messages per function invocation from the jobs queue."
  type        = number
  default     = 5
}

variable "api_throttle_rate" {
  description = "Steady-state requests per second across the API stage."
  type        = number
  default     = 100
}

variable "api_throttle_burst" {
  description = "Burst capacity of the API stage."
  type        = number
  default     = 200
}

variable "log_retention_days" {
  description = "Retention of the function and API access logs: 7 in staging, 30 in production (docs/operations.md)."
  type        = number
  default     = 30
}

variable "deletion_protection" {
  description = "Deletion protection on data tables and the user pool; turn off only to tear down."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "Optional address subscribed to the alarm topic."
  type        = string
  default     = ""
}
