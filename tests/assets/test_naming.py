"""Pure checks of key building, key parsing, name sanitising and Content-Disposition."""

from __future__ import annotations

import unicodedata

import pytest

from app.assets.naming import object_key, parse_object_key, sanitise_file_name
from app.assets.storage import content_disposition


def test_parse_object_key_round_trips_server_keys() -> None:
    key = object_key("0f8e-sub", "1234-asset")
    assert key == "users/0f8e-sub/assets/1234-asset"
    assert parse_object_key(key) == ("0f8e-sub", "1234-asset")


@pytest.mark.parametrize(
    "key",
    ["users/a/assets/", "users/a/assets/b/c", "users//assets/b", "x/users/a/assets/b", "users/a"],
)
def test_parse_object_key_rejects_other_layouts(key: str) -> None:
    assert parse_object_key(key) is None


def test_sanitise_file_name_keeps_long_extension_when_bounding() -> None:
    name = sanitise_file_name("é" * 600 + ".docx")
    assert len(name) == 255 and name.endswith(".docx")


def test_sanitise_file_name_leaves_no_control_or_format_characters() -> None:
    raw = "".join(chr(c) for c in range(0, 0x20)) + "a\u200bb\u2066c\x7fd\x85e.txt"
    name = sanitise_file_name(raw)
    assert name == "abcde.txt"
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)


def test_sanitise_file_name_normalises_to_nfc() -> None:
    assert sanitise_file_name("Cafe\u0301.txt") == "Caf\u00e9.txt"


def test_content_disposition_for_ascii_name_has_plain_filename() -> None:
    assert content_disposition("plan v2.pdf") == 'attachment; filename="plan v2.pdf"'


def test_content_disposition_escapes_quotes_and_percent_into_filename_star() -> None:
    header = content_disposition('50% "draft".txt')
    assert header == (
        "attachment; filename=\"50_ _draft_.txt\"; filename*=UTF-8''50%25%20%22draft%22.txt"
    )
