"""Writing outputs: atomically, never over an existing file unless asked, never outside their folder."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from pipeline.errors import OutputError, UsageError


def check_output(path: str | Path, *, overwrite: bool = False) -> None:
    """Fail before any work when `path` cannot be written: it is a folder, it exists and
    `overwrite` is off, or its folder is a file or cannot be written."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"output {path} is a directory; give a file name.")
    if path.exists() and not overwrite:
        raise UsageError(f"output {path} already exists; pass --overwrite to replace it.")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the nearest folder that exists: write_atomic creates the rest
    if not folder.is_dir():
        raise UsageError(f"cannot write output {path}: {folder} is a file, not a folder; choose another path.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write output {path}: the folder {folder} is not writable; choose another path.")


def write_atomic(path: str | Path, text: str, *, overwrite: bool = True) -> Path:
    """Write `text` to a temporary file beside `path`, then rename it into place: a reader
    never sees half a file, and a failed write (full disk) leaves nothing behind."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise UsageError(f"output {path} is a directory; give a file name.")
    if path.exists() and not overwrite:
        raise UsageError(f"output {path} already exists; pass --overwrite to replace it.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create the output folder {folder} ({err.strerror}); choose another.") from None
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        # mkstemp makes the file private (0600); an output should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as err:
        raise OutputError(
            f"cannot write {path} ({err.strerror or err}); check that the folder is writable and the disk has space."
        ) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_name(name: str, *, default: str = "document", max_bytes: int | None = None) -> str:
    """A file name made from user input that cannot leave its folder: no separators, no `..`,
    no control or odd Unicode characters (such as a right-to-left override), not hidden, and at
    most `max_bytes` bytes of UTF-8 (MAX_NAME_BYTES: room is left for a suffix)."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = _UNSAFE.sub("_", name).strip("._ ")
    return _cut_to_bytes(name or default, MAX_NAME_BYTES if max_bytes is None else max_bytes)


# A name made from input: room is left for "-1a2b3c4d" (a unique suffix) and ".json" under the
# 255 bytes a folder allows per name. Arabic letters take two bytes each.
MAX_NAME_BYTES = 160
_FOLDER_NAME_BYTES = 255


def _cut_to_bytes(name: str, limit: int) -> str:
    """`name` cut to at most `limit` bytes of UTF-8 without splitting a character, keeping a
    short suffix such as `.json` (a limit in characters would give names the folder refuses)."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    keep = f".{suffix}" if dot and stem and len(suffix) <= 8 and suffix.isascii() else ""
    body = name[: len(name) - len(keep)]
    cut = body.encode("utf-8")[: limit - len(keep)].decode("utf-8", errors="ignore").rstrip("._ ")
    return (cut or "document") + keep


def inside(folder: Path, name: str) -> Path:
    """`folder / safe_name(name)`, checked to resolve inside `folder`."""
    target = (folder / safe_name(name, max_bytes=_FOLDER_NAME_BYTES)).resolve()
    if folder.resolve() not in target.parents:
        raise OutputError(f"output name {name!r} would leave the folder {folder}; rename the input.")
    return target
