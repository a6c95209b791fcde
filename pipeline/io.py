"""Writing outputs: atomically, never over an existing file unless asked, never outside their folder."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from pipeline.errors import OutputError, UsageError


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
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return path


_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_name(name: str, *, default: str = "document") -> str:
    """A file name made from user input that cannot leave its folder: no separators, no `..`,
    no control or odd Unicode characters, not hidden, not too long."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = _UNSAFE.sub("_", name).strip("._ ")
    return (name or default)[:150]


def inside(folder: Path, name: str) -> Path:
    """`folder / safe_name(name)`, checked to resolve inside `folder`."""
    target = (folder / safe_name(name)).resolve()
    if folder.resolve() not in target.parents:
        raise OutputError(f"output name {name!r} would leave the folder {folder}; rename the input.")
    return target
