"""The floor: a bare FastAPI app, Mangum with lifespan off, and a boto3 DynamoDB Table."""

from __future__ import annotations

import os
from typing import Any

import boto3
from fastapi import FastAPI
from mangum import Mangum


def build(*, with_read: bool = False) -> Any:
    """Return a Lambda handler for the bare app; with_read adds the GetItem route."""
    app = FastAPI()
    table = boto3.resource("dynamodb").Table(f"{os.environ['TABLE_PREFIX']}-projects")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    if with_read:
        # The same GetItem the app does; no auth, middleware, validation or conversion.
        @app.get("/projects/{project_id}")
        def get_project(project_id: str) -> Any:
            return table.get_item(Key={"projectId": project_id}, ConsistentRead=True).get("Item")

    return Mangum(app, lifespan="off")
