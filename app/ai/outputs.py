"""Output schemas of the built-in kinds, validated before anything is stored."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_FILES = 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._/-]")
_DRIVE = re.compile(r"^[A-Za-z]:")


class GeneratedOutput(BaseModel):
    """Base of every model output: extra keys are dropped, sizes are bounded by each field."""

    model_config = ConfigDict(extra="ignore")


class TextOutput(GeneratedOutput):
    """Free text."""

    text: str = Field(max_length=60_000)


class CodeFile(GeneratedOutput):
    """One source file."""

    path: str = Field(min_length=1, max_length=200, description="Relative POSIX path.")
    content: str = Field(max_length=100_000)


class CodeOutput(GeneratedOutput):
    """Source files implementing the specification, and notes on how to use them."""

    files: list[CodeFile] = Field(min_length=1, max_length=MAX_FILES)
    notes: str = Field(default="", max_length=4_000)

    @field_validator("files")
    @classmethod
    def _sanitise_paths(cls, files: list[CodeFile]) -> list[CodeFile]:
        seen: set[str] = set()
        clean: list[CodeFile] = []
        for index, file in enumerate(files):
            path = sanitise_path(file.path) or f"file-{index + 1}.txt"
            while path in seen:
                path = f"{index + 1}-{path}"
            seen.add(path)
            clean.append(file.model_copy(update={"path": path}))
        return clean


def sanitise_path(raw: str) -> str:
    """Return a relative POSIX path without '..', drive letters, backslashes or odd characters."""
    text = _DRIVE.sub("", raw.replace("\\", "/").strip())
    parts = [
        _UNSAFE.sub("_", part).strip()
        for part in PurePosixPath(text).parts
        if part not in ("/", ".", "..")
    ]
    return "/".join(part for part in parts if part and part not in (".", ".."))[:200]
