"""The image lock is runtime.lock minus a named, reasoned list of packages the app never imports."""

from __future__ import annotations

import re
from pathlib import Path

from scripts import image_lock

ROOT = Path(__file__).resolve().parents[2]


def _blocks(text: str) -> dict[str, str]:
    """Return each pinned requirement's block (pin, hashes, via comments) by normalised name."""
    blocks: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        if match := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line):
            name = image_lock.normalise(match.group(1))
            blocks[name] = ""
        if name:
            blocks[name] += line + "\n"
    return blocks


def test_image_lock_is_current_with_runtime_lock() -> None:
    assert image_lock.main(["--check"]) == 0, "run `make lock` (scripts/image_lock.py)"


def test_image_lock_keeps_every_other_pin_and_hash_of_runtime_lock() -> None:
    runtime = _blocks(image_lock.RUNTIME_LOCK.read_text())
    image = _blocks(image_lock.IMAGE_LOCK.read_text())

    assert set(image_lock.LEFT_OUT) <= set(runtime)
    assert set(image) == set(runtime) - set(image_lock.LEFT_OUT)
    assert all(image[name] == runtime[name] for name in image)
    assert all("--hash=sha256:" in block for block in image.values())


def test_image_lock_says_why_each_package_is_left_out() -> None:
    header = image_lock.IMAGE_LOCK.read_text().split("\n" + "annotated-doc==", 1)[0]

    for name, why in image_lock.LEFT_OUT.items():
        assert why.strip()
        assert f"#   {name}: " in header


def test_app_never_imports_a_left_out_package() -> None:
    pattern = re.compile(
        r"^\s*(?:import|from)\s+(" + "|".join(map(re.escape, image_lock.LEFT_OUT)) + r")\b",
        re.MULTILINE,
    )
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "app").rglob("*.py")
        if "local" not in path.relative_to(ROOT / "app").parts[:1]
        and pattern.search(path.read_text())
    ]

    assert offenders == []


def test_pip_check_accepts_only_left_out_packages_missing() -> None:
    output = (
        "langsmith 0.15.0 requires zstandard, which is not installed.\n"
        "langchain-aws 1.9.1 requires numpy, which is not installed.\n"
        "fastapi 0.165.0 requires starlette, which is not installed.\n"
        "langsmith 0.15.0 has requirement orjson>=3.9, but you have orjson 3.0.\n"
    )

    assert image_lock.unexpected(output) == [
        "fastapi 0.165.0 requires starlette, which is not installed.",
        "langsmith 0.15.0 has requirement orjson>=3.9, but you have orjson 3.0.",
    ]
    assert image_lock.unexpected("No broken requirements found.\n") == []
