"""`python -m app.local mail`: print the running dev server's local mailbox."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def show_mail(args: argparse.Namespace, state_file: Path) -> int:
    """Fetch /_local/mail.json from the dev server named in the state file and print it."""
    if not state_file.exists():
        print("No dev server state; start it with `make dev` first.", file=sys.stderr)
        return 1
    state = json.loads(state_file.read_text())
    url = f"{state.get('API_URL', 'http://127.0.0.1:8000')}/_local/mail.json"
    import httpx

    response = httpx.get(url, timeout=5)
    response.raise_for_status()
    messages = response.json()["messages"]
    if args.json:
        print(json.dumps(messages, indent=2))
        return 0
    if not messages:
        print("The local mailbox is empty.")
    for message in messages:
        print(f"[{message['kind']}] to {', '.join(map(str, message['to']))}: {message['subject']}")
        print(f"    {str(message['body'] or '').strip()[:500]}")
    return 0
