"""A static guard: no code in app/ may turn off signature checks or decode without algorithms."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[3] / "app"


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def test_app_never_disables_signature_verification() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        text = path.read_text()
        if "verify_signature" in text:
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.Dict):
                    for key in node.keys:
                        if isinstance(key, ast.Constant) and key.value == "verify_signature":
                            offenders.append(f"{path}:{node.lineno}")
                if isinstance(node, ast.keyword) and node.arg == "verify_signature":
                    offenders.append(f"{path}:{node.value.lineno}")
    assert offenders == []


def test_app_never_decodes_without_algorithms() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for call in _calls(tree):
            if _name(call) == "decode" and "jwt" in ast.unparse(call.func):
                if not any(keyword.arg == "algorithms" for keyword in call.keywords):
                    offenders.append(f"{path}:{call.lineno}")
    assert offenders == []


def test_python_jose_is_imported_only_by_the_security_module() -> None:
    importers = sorted(
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if "from jose" in path.read_text() or "import jose" in path.read_text()
    )
    assert importers == ["core/security.py"]
