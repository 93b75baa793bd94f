"""Record the IAM actions the app's own code needs, from every botocore call of a test run.

One class-level hook on botocore's BaseClient sees every client, however it was built: those of
app/core/aws.py, Bedrock's own session, the client Powertools is handed. A call counts when the
innermost frame of this repository on its stack is app code outside app/local: the emulator
bootstrap, the local queue poller, tests and ops scripts do not run as the Lambda's role.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
_APP, _LOCAL = ROOT / "app", ROOT / "app" / "local"
_SELF = Path(__file__).resolve()
_lock = threading.Lock()
recorded: dict[str, str] = {}  # IAM action -> the app file that first needed it
# Set by tests/conftest.py: False once any test of the suite is left out of the run.
whole_suite = True

# Operations authorised under another action's name.
RENAMED = {
    ("bedrock", "Converse"): "bedrock:InvokeModel",
    ("bedrock", "ConverseStream"): "bedrock:InvokeModelWithResponseStream",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("dynamodb", "TransactGetItems"): "dynamodb:GetItem",
}
# TransactWriteItems is authorised through the per-item actions of its items.
TRANSACT_ITEMS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}


def iam_actions(service_model: Any, operation: str, params: dict[str, Any]) -> set[str]:
    """Return the IAM actions one API call is authorised by (none for an unsigned call)."""
    model = service_model.operation_model(operation)
    if model.auth_type == "none" or "smithy.api#noAuth" in (getattr(model, "auth", None) or []):
        return set()  # Cognito's public flows (SignUp, InitiateAuth...) need no IAM grant
    prefix = service_model.signing_name
    if (prefix, operation) == ("dynamodb", "TransactWriteItems"):
        return {TRANSACT_ITEMS[kind] for item in params["TransactItems"] for kind in item}
    return {RENAMED.get((prefix, operation), f"{prefix}:{operation}")}


def lambda_caller(frames: Iterable[str]) -> str | None:
    """Return the app file (relative) that made a call, or None if it is not Lambda code.

    `frames` are file names from the innermost frame outwards.
    """
    for name in frames:
        path = Path(name)
        if path == _SELF or not path.is_relative_to(ROOT) or ".venv" in path.parts:
            continue
        if path.is_relative_to(_APP) and not path.is_relative_to(_LOCAL):
            return str(path.relative_to(ROOT))
        return None
    return None


def _stack_files() -> Iterable[str]:
    frame: Any = sys._getframe(1)
    while frame is not None:
        yield frame.f_code.co_filename
        frame = frame.f_back


def _record(actions: set[str]) -> None:
    caller = lambda_caller(_stack_files())
    if caller is None:
        return
    with _lock:
        for action in actions:
            recorded.setdefault(action, caller)


def install() -> None:
    """Wrap botocore's client calls and presigners once per process, before any client exists."""
    from botocore import signers
    from botocore.client import BaseClient

    client_class: Any = BaseClient  # the stubs do not declare _make_api_call
    if getattr(client_class, "_planforge_recorder", False):
        return
    call = client_class._make_api_call
    presign_url, presign_post = signers.generate_presigned_url, signers.generate_presigned_post

    def make_api_call(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
        _record(iam_actions(self.meta.service_model, operation_name, api_params))
        return call(self, operation_name, api_params)

    # The presigners are copied into each client class as it is created. A presigned request
    # is authorised as the signer's own call: GetObject for a GET, PutObject for a POST upload.
    def generate_presigned_url(self: Any, ClientMethod: str, *args: Any, **kwargs: Any) -> Any:  # noqa: N803 - botocore's name
        params = kwargs.get("Params") or (args[0] if args else None) or {}
        _record(iam_actions(self.meta.service_model, self._PY_TO_OP_NAME[ClientMethod], params))
        return presign_url(self, ClientMethod, *args, **kwargs)

    def generate_presigned_post(self: Any, *args: Any, **kwargs: Any) -> Any:
        _record(iam_actions(self.meta.service_model, "PutObject", {}))
        return presign_post(self, *args, **kwargs)

    client_class._make_api_call = make_api_call
    signers.generate_presigned_url = generate_presigned_url
    signers.generate_presigned_post = generate_presigned_post
    client_class._planforge_recorder = True
