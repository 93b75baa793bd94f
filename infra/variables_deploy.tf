# Per-stage settings for the canary, warm starts and alarms; infra/env/<stage>.tfvars sets them.

variable "stage" {
  description = "Deployment stage naming every resource (staging, production); empty keeps <project>-<environment>."
  type        = string
  default     = ""

  validation {
    condition     = contains(["", "staging", "production"], var.stage)
    error_message = "stage must be staging, production or empty."
  }
}

variable "canary_deployment_config" {
  description = "CodeDeploy traffic-shifting configuration for the live alias."
  type        = string
  default     = "CodeDeployDefault.LambdaCanary10Percent5Minutes"

  validation {
    condition     = can(regex("^CodeDeployDefault\\.Lambda(Canary|Linear|AllAtOnce)", var.canary_deployment_config))
    error_message = "canary_deployment_config must be a CodeDeployDefault.Lambda* configuration."
  }
}

variable "warmer_enabled" {
  description = "Send the function a warm-up event every 5 minutes (EventBridge); off by default."
  type        = bool
  default     = false
}

variable "provisioned_concurrency" {
  description = "Provisioned concurrency on the live alias; 0 turns it off."
  type        = number
  default     = 0

  validation {
    condition     = var.provisioned_concurrency >= 0
    error_message = "provisioned_concurrency must be 0 or more."
  }
}

variable "alarm_api_p90_ms" {
  description = "API Gateway p90 latency, in ms, above which the latency alarm fires."
  type        = number
  default     = 1000
}

variable "alarm_errors_per_minute" {
  description = "Function errors per minute above which the error-rate alarm fires."
  type        = number
  default     = 10
}

variable "alarm_ai_failure_percent" {
  description = "Share of finished AI jobs that failed, in percent, above which the alarm fires."
  type        = number
  default     = 20
}

variable "alarm_ses_bounce_rate" {
  description = "SES reputation bounce rate (0-1) above which the alarm fires; SES reviews accounts at 0.05."
  type        = number
  default     = 0.05
}

variable "image_digest" {
  description = "Image digest (sha256:...) the function runs; the workflow promotes staging's digest to production."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(sha256:[0-9a-f]{64})?$", var.image_digest))
    error_message = "image_digest must be empty or sha256:<64 hex>."
  }
}
