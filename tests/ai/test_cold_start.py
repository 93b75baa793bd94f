"""Cold start: neither langchain nor httpx is imported by the Lambda entry point or the worker."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import app.handler
app.handler._http_adapter()
from app.worker import load_job_handlers
load_job_handlers()
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('langchain', 'langchain_aws',
    'langchain_core', 'httpx'))
print(','.join(heavy) or 'none')
"""


def test_import_handler_and_app_creation_import_no_langchain_or_httpx() -> None:
    result = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "ENVIRONMENT": "test", "AWS_REGION": "us-east-1"},
    )
    assert result.stdout.strip() == "none", result.stdout
