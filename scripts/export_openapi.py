"""Write the app's OpenAPI document to openapi.json (`make openapi`), or check it with --check."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "openapi.json"


def render() -> str:
    """Return the document the app generates, as committed (stable, two-space JSON)."""
    sys.path.insert(0, str(ROOT))
    from app.core.config import Settings
    from app.main import create_app

    spec: dict[str, Any] = create_app(Settings(environment="local")).openapi()
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Write openapi.json, or with --check fail when it is stale."""
    text = render()
    if "--check" in sys.argv[1:]:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print("openapi.json is stale: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
