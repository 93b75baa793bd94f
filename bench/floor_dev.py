"""The dev server's floor: the same embedded moto and uvicorn settings, a bare FastAPI app.

`python -m bench.floor_dev --port P --aws-port A` prints the emulator's settings as one JSON
line once it is bootstrapped, then serves:
- GET /auth/me: the equivalent work of the app's route, one Cognito GetUser with the bearer
  token, answered as {userId, email, name, groups}; no middleware, JWT check or validation;
- GET /health and GET /bare: no work at all.
"""

from __future__ import annotations

import argparse
import json
from typing import Annotated, Any

import uvicorn
from fastapi import FastAPI, Header

from app.core import aws
from app.local.aws_emulator import start_local_aws


def build_app() -> FastAPI:
    """Return the bare app."""
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/bare")
    def bare() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/auth/me")
    def me(authorization: Annotated[str, Header()]) -> dict[str, Any]:
        user = aws.client("cognito-idp").get_user(AccessToken=authorization.split(" ", 1)[-1])
        attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
        return {
            "userId": attributes.get("sub"),
            "email": attributes.get("email"),
            "name": attributes.get("name"),
            "groups": [],
        }

    return app


def main() -> None:
    """Start moto, print its settings, serve the bare app until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--aws-port", type=int, required=True)
    args = parser.parse_args()
    server, local = start_local_aws(
        port=args.aws_port, extra_env={"ENVIRONMENT": "local", "COGNITO_AUTO_CONFIRM": "true"}
    )
    print(json.dumps(local.environment()), flush=True)
    # The settings `make dev` gives uvicorn (app/local/__main__.py), with the bare app.
    config = uvicorn.Config(build_app(), host="127.0.0.1", port=args.port, log_level="info")
    try:
        uvicorn.Server(config).run()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
