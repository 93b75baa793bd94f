"""The embedded AWS emulator: moto's server in-process, bootstrapped from the app's own specs."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from secrets import token_urlsafe
from typing import Any

import boto3

from app.core import aws, secrets
from app.core.config import get_settings
from app.core.queues import ALL_QUEUES, JOBS, QueueSpec
from app.core.security import ADMIN_GROUP, get_jwks_cache
from app.core.tables import TableSpec
from app.domains import all_tables

# moto accepts any credentials; these keep boto3 from looking for real ones.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # noqa: S105 - moto's placeholder
    "AWS_SESSION_TOKEN": "testing",  # noqa: S105
}
# The AI emulator accepts any non-empty Gemini key; this one sits in the emulated secret.
LOCAL_GEMINI_KEY = "local-emulator"


@dataclass
class LocalAws:
    """What the bootstrap created, as settings for the app."""

    endpoint_url: str
    region: str
    user_pool_id: str
    client_id: str
    jobs_queue_url: str
    jobs_dlq_url: str
    bucket: str
    cursor_secret_arn: str
    gemini_api_key_secret_arn: str

    def environment(self) -> dict[str, str]:
        """Return the environment variables that point the app at these resources."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "COGNITO_USER_POOL_ID": self.user_pool_id,
            "COGNITO_CLIENT_ID": self.client_id,
            "COGNITO_JWKS_URL": f"{self.endpoint_url}/{self.user_pool_id}/.well-known/jwks.json",
            "JOBS_QUEUE_URL": self.jobs_queue_url,
            "ASSETS_BUCKET": self.bucket,
            "CURSOR_SECRET_ARN": self.cursor_secret_arn,
            "GEMINI_API_KEY_SECRET_ARN": self.gemini_api_key_secret_arn,
        }


def start_moto_server(port: int = 0) -> tuple[Any, str]:
    """Start moto's threaded server on loopback and return it with its URL."""
    from app.local.moto_server import LocalMotoServer

    server = LocalMotoServer(port)
    return server, server.start()


def apply_environment(values: dict[str, str]) -> None:
    """Export settings to the process and drop every cached setting, client and key."""
    os.environ.update(values)
    get_settings.cache_clear()
    aws.reset_clients()
    secrets.reset()
    get_jwks_cache.cache_clear()


def _create_table(client: Any, name: str, spec: TableSpec) -> None:
    key_schema = [{"AttributeName": spec.hash_key, "KeyType": "HASH"}]
    if spec.range_key:
        key_schema.append({"AttributeName": spec.range_key, "KeyType": "RANGE"})
    request: dict[str, Any] = {
        "TableName": name,
        "KeySchema": key_schema,
        "AttributeDefinitions": [
            {"AttributeName": attribute, "AttributeType": "S"}
            for attribute in spec.key_attributes()
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if spec.indexes:
        request["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": [{"AttributeName": index.hash_key, "KeyType": "HASH"}]
                + (
                    [{"AttributeName": index.range_key, "KeyType": "RANGE"}]
                    if index.range_key
                    else []
                ),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in spec.indexes
        ]
    client.create_table(**request)
    if spec.ttl_attribute:
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
        )


def _create_queue(client: Any, prefix: str, spec: QueueSpec) -> tuple[str, str]:
    dlq_url = client.create_queue(
        QueueName=f"{prefix}-{spec.dlq_name}",
        Attributes={"MessageRetentionPeriod": str(spec.dlq_retention_seconds)},
    )["QueueUrl"]
    dlq_arn = client.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    url = client.create_queue(
        QueueName=f"{prefix}-{spec.name}",
        Attributes={
            "VisibilityTimeout": str(spec.visibility_timeout_seconds),
            "MessageRetentionPeriod": str(spec.retention_seconds),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(spec.max_receive_count)}
            ),
        },
    )["QueueUrl"]
    return url, dlq_url


def _create_user_pool(client: Any, prefix: str) -> tuple[str, str]:
    pool_id = client.create_user_pool(
        PoolName=f"{prefix}-users",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 8,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
            }
        },
    )["UserPool"]["Id"]
    client_id = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=f"{prefix}-api",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
    )["UserPoolClient"]["ClientId"]
    client.create_group(GroupName=ADMIN_GROUP, UserPoolId=pool_id, Description="Administrators")
    return pool_id, client_id


def _create_secrets(client: Any, prefix: str, gemini_api_key: str) -> tuple[str, str]:
    # As in infra/secrets.tf; the cursor key is drawn for each run, like AWS draws it.
    cursor = client.create_secret(Name=f"{prefix}/cursor-secret", SecretString=token_urlsafe(36))[
        "ARN"
    ]
    gemini = client.create_secret(Name=f"{prefix}/gemini-api-key", SecretString=gemini_api_key)
    return cursor, gemini["ARN"]


def _notify_uploads(s3: Any, sqs: Any, *, bucket: str, queue_url: str) -> None:
    """Send the bucket's ObjectCreated events for asset keys to the jobs queue, as in the cloud."""
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": queue_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "users/"}]}},
                }
            ]
        },
    )
    # Configuring sends one s3:TestEvent; drop it so the queue starts empty.
    for message in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        if "s3:TestEvent" in message["Body"]:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def bootstrap(
    endpoint_url: str, *, prefix: str | None = None, gemini_api_key: str = LOCAL_GEMINI_KEY
) -> LocalAws:
    """Create every table, queue, bucket, identity, secret and the user pool the app uses."""
    settings = get_settings()
    prefix = prefix or settings.table_prefix
    region = settings.aws_region
    session = boto3.session.Session(region_name=region, **_credentials())
    clients: dict[str, Any] = {
        name: session.client(name, endpoint_url=endpoint_url)
        for name in ("dynamodb", "sqs", "s3", "cognito-idp", "ses", "secretsmanager")
    }
    for spec in all_tables():
        _create_table(clients["dynamodb"], f"{prefix}-{spec.name}", spec)
    queue_urls = {spec.name: _create_queue(clients["sqs"], prefix, spec) for spec in ALL_QUEUES}
    bucket = f"{prefix}-assets"
    clients["s3"].create_bucket(Bucket=bucket)
    clients["s3"].put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": settings.cors_origins or ["http://127.0.0.1:8000"],
                    "AllowedMethods": ["POST", "GET"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"],
                    "MaxAgeSeconds": 600,
                }
            ]
        },
    )
    clients["ses"].verify_email_identity(EmailAddress=settings.ses_sender)
    pool_id, client_id = _create_user_pool(clients["cognito-idp"], prefix)
    cursor_arn, gemini_arn = _create_secrets(clients["secretsmanager"], prefix, gemini_api_key)
    jobs_url, jobs_dlq_url = queue_urls[JOBS.name]
    _notify_uploads(clients["s3"], clients["sqs"], bucket=bucket, queue_url=jobs_url)
    return LocalAws(
        endpoint_url=endpoint_url,
        region=region,
        user_pool_id=pool_id,
        client_id=client_id,
        jobs_queue_url=jobs_url,
        jobs_dlq_url=jobs_dlq_url,
        bucket=bucket,
        cursor_secret_arn=cursor_arn,
        gemini_api_key_secret_arn=gemini_arn,
    )


def _credentials() -> dict[str, Any]:
    return {
        "aws_access_key_id": os.environ.get(
            "AWS_ACCESS_KEY_ID", FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]
        ),
        "aws_secret_access_key": os.environ.get(
            "AWS_SECRET_ACCESS_KEY", FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
        ),
    }


def start_local_aws(
    *, port: int = 0, extra_env: dict[str, str] | None = None
) -> tuple[Any, LocalAws]:
    """Start the emulator, bootstrap it, and point this process's settings at it."""
    for key, value in FAKE_CREDENTIALS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("AWS_REGION", "us-east-1")
    apply_environment(extra_env or {})
    server, url = start_moto_server(port)
    local = bootstrap(url)
    apply_environment(local.environment())
    return server, local
