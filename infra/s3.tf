# Uploaded files. Browsers upload and download through presigned URLs the API issues;
# object keys are users/<sub>/assets/<assetId>.
resource "aws_s3_bucket" "assets" {
  #checkov:skip=CKV_AWS_21:Versioning would keep files after a user deletes them; assets expire after asset_ttl_days and a delete must really delete.
  #checkov:skip=CKV_AWS_144:Cross-region replication would copy user files to a second region for short-lived uploads that the app treats as disposable.
  bucket = "${local.name}-assets-${local.account_id}"
  # Only a teardown (deletion_protection = false) may delete a bucket that still has files.
  force_destroy = !var.deletion_protection
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "assets" {
  bucket = aws_s3_bucket.assets.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.main.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_cors_configuration" "assets" {
  count  = length(var.allowed_origins) > 0 ? 1 : 0
  bucket = aws_s3_bucket.assets.id
  cors_rule {
    allowed_origins = var.allowed_origins
    # Uploads are presigned POSTs and downloads presigned GETs; nothing PUTs from a browser.
    allowed_methods = ["POST", "GET"]
    allowed_headers = ["Content-Type", "Content-MD5", "x-amz-*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id

  rule {
    id     = "expire-assets"
    status = "Enabled"
    filter {
      prefix = "users/"
    }
    expiration {
      days = var.asset_ttl_days
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_logging" "assets" {
  bucket        = aws_s3_bucket.assets.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "assets/"
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = data.aws_iam_policy_document.assets_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.assets]
}

data "aws_iam_policy_document" "assets_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.assets.arn, "${aws_s3_bucket.assets.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_notification" "assets" {
  bucket = aws_s3_bucket.assets.id

  queue {
    queue_arn     = aws_sqs_queue.jobs.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "users/"
  }

  # S3 checks that it may send to the queue when the notification is saved.
  depends_on = [aws_sqs_queue_policy.jobs]
}
