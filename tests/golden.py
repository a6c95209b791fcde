"""Golden files: compare a rendered text with the one kept beside the tests; TARJAMA_UPDATE_GOLDEN=1 rewrites it."""

from __future__ import annotations

import os
from pathlib import Path


def assert_golden(text: str, path: Path) -> None:
    """`text` equals the golden file at `path` (written instead when TARJAMA_UPDATE_GOLDEN is set,
    so a deliberate change is one run and a reviewed diff)."""
    if os.environ.get("TARJAMA_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run the tests once with TARJAMA_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")
