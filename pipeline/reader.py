"""Reading an article file into a Document: decoding (UTF-8, UTF-16, Windows-1256), mojibake repair, HTML pages, bad input."""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from pipeline.document import Document, Source
from pipeline.errors import InputError, UsageError
from pipeline.html_text import HTML_SUFFIXES, html_to_text

# Magic numbers of files people pass by mistake.
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (or a .docx/.xlsx file)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
)

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MOST_CONTROL = 0.05  # above this share of the visible characters, control characters mean binary

# UTF-8 Arabic read as Latin-1 or Windows-1252: a lead byte D8-DB shows as Ø Ù Ú Û and the
# continuation byte (80-BF) as a C1 control, a Latin-1 sign, or one of cp1252's extra characters.
_CP1252_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE_PAIR = re.compile("[ØÙÚÛ][\u0080-\u00bf" + re.escape(_CP1252_EXTRA) + "]")
_CP1252_TO_BYTE = {ch: bytes([b]) for b in range(0x80, 0xA0)
                   for ch in [bytes([b]).decode("cp1252", errors="ignore")] if ch}


def read_file(path: str | Path, *, max_bytes: int | None = None, limit_key: str = "max_input_mb") -> Document:
    """Read an article from `path`; see `read_bytes`. A .html or .htm file is reduced to its text.
    A file bigger than `max_bytes` is refused with a message that names the config key `limit_key`
    which raises the limit."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path} does not exist; check the file name.")
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give an article file (use `tarjama batch` for folders).")
    try:
        # Never more than the limit (and one byte to notice it): a pipe or a device such as
        # /dev/zero has no size to check first, and must not fill the memory.
        with path.open("rb") as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as err:
        raise InputError(f"cannot read {path} ({err.strerror or err}); check its permissions.") from None
    if max_bytes is not None and len(data) > max_bytes:
        size = path.stat().st_size if path.is_file() else 0
        how_big = f"is {_megabytes(size)}, over" if size > max_bytes else "is over"
        raise InputError(
            f"{path} {how_big} the limit of {_megabytes(max_bytes)}; to read it, raise `{limit_key}` in the "
            f"config (or pass --set {limit_key}={_next_limit(max(size, max_bytes + 1))})."
        )
    return read_bytes(data, path=str(path), html=path.suffix.lower() in HTML_SUFFIXES)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.3g} MB"


def _next_limit(size: int) -> int:
    """A round number of MB above `size`, for the message's example."""
    return int(size // 1_000_000) + 1


def read_bytes(data: bytes, *, path: str | None = None, html: bool = False) -> Document:
    """Decode an article's bytes into a Document whose `text` and `original` are the decoded text.

    UTF-8 (with or without BOM) is read silently but for the BOM; UTF-16 and Windows-1256 are
    detected and decoded with a warning; UTF-8 Arabic that was once misread as Latin-1/cp1252
    (text full of Ø and Ù) is repaired when the repair is exact, with a warning; a few stray
    control characters in otherwise clean text are removed, with a warning that counts them.
    Warnings go to `doc.meta["warnings"]`. Binary (NUL bytes, mostly control characters),
    undecodable and empty input raise InputError naming the file. With `html`, the decoded page
    is reduced to its visible text (one line per block element), which must not be empty.
    """
    name = path or "the input"
    warnings: list[str] = []
    text, encoding = _decode(data, name, warnings)
    text, repaired = _repair_mojibake(text, name)
    if repaired:
        warnings.append(f"{name} held UTF-8 Arabic misread as Latin-1 (Ø/Ù mojibake); it was repaired.")
    text, stray = _remove_stray_controls(text, name)
    if stray:
        warnings.append(f"{name} held {stray} stray control character{'s' if stray > 1 else ''}; "
                        f"{'they were' if stray > 1 else 'it was'} removed.")
    if not text.strip(" \t\r\n\f\v\u00a0\u200b\u200c\u200d\u200e\u200f\ufeff\u2060"):
        raise InputError(f"{name} is empty; give a file with the article text.")
    if html:
        text = html_to_text(text)
        if not text.strip():
            raise InputError(f"{name} holds no text outside its HTML tags; give an article page.")
    if not _ARABIC_LETTER.search(text):
        warnings.append(f"{name} contains no Arabic text; it is passed through as it is.")
    doc = Document(
        text=text,
        original=text,
        source=Source(path=path, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding),
    )
    if warnings:
        doc.meta["warnings"] = warnings
    return doc


def _remove_stray_controls(text: str, name: str) -> tuple[str, int]:
    """The text without its control characters, and how many there were. A few in clean text are
    debris of the publishing system (e.g. 0x1A where a bullet glyph was); text that is more than
    `_MOST_CONTROL` control characters is not text, and is refused as binary."""
    stray = len(_CONTROL.findall(text))
    if not stray:
        return text, 0
    visible = len(text) - sum(1 for c in text if c.isspace())
    if "\x00" in text or stray > max(2, _MOST_CONTROL * visible):
        raise InputError(f"{name} is binary or not text (it holds control characters); give a plain-text article.")
    return _CONTROL.sub("", text), stray


def _decode(data: bytes, name: str, warnings: list[str]) -> tuple[str, str]:
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} is {kind}, not text; give a plain-text article.")
    if data.startswith(codecs.BOM_UTF8):
        warnings.append(f"{name} starts with a UTF-8 byte-order mark; it was ignored.")
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        warnings.append(f"{name} is UTF-16; it was decoded, but UTF-8 is expected.")
        return _strict(data, "utf-16", name), "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16:
        warnings.append(f"{name} is UTF-16 ({utf16[-2:].upper()}, no byte-order mark); it was decoded, "
                        "but UTF-8 is expected.")
        return _strict(data, utf16, name), utf16
    if b"\x00" in data:
        raise InputError(f"{name} is binary (it holds NUL bytes), not text; give a plain-text article.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first_bad = err.start
    if _mostly_utf8(data):
        raise InputError(f"{name} is damaged UTF-8 (undecodable bytes from byte {first_bad}); "
                         "re-save it as UTF-8.")
    text = data.decode("cp1256")
    letters = _LETTER.findall(text)
    if letters and len(_ARABIC_LETTER.findall(text)) >= 0.5 * len(letters):
        warnings.append(f"{name} is Windows-1256; it was decoded, but UTF-8 is expected.")
        return text, "windows-1256"
    raise InputError(f"{name} is neither UTF-8 nor Arabic Windows-1256 (undecodable byte at {first_bad}); "
                     "re-save it as UTF-8.")


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(f"{name} cannot be decoded as {encoding.upper()} (bad byte at {err.start}); "
                         "re-save it as UTF-8.") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is the high byte of Arabic or ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    for encoding, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        ascii_or_arabic = high.count(0x00) + high.count(0x06)
        plausible = ascii_or_arabic + sum(high.count(b) for b in (0x20, 0xFB, 0xFE))
        if plausible >= 0.95 * len(high) and ascii_or_arabic >= 0.5 * len(high):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return encoding
    return None


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(data: bytes) -> bool:
    """True when nearly every non-ASCII byte belongs to a valid UTF-8 sequence: a damaged UTF-8
    file, which Windows-1256 would turn into plausible-looking garbage."""
    high = sum(1 for b in data if b >= 0x80)
    covered = sum(len(m) for m in _UTF8_SEQUENCE.findall(data))
    return high > 0 and covered >= 0.9 * high


def _repair_mojibake(text: str, name: str) -> tuple[str, bool]:
    pairs = len(_MOJIBAKE_PAIR.findall(text))
    if pairs < 3 or 2 * pairs < 0.3 * len(_LETTER.findall(text)) or _ARABIC_LETTER.search(text):
        return text, False
    raw = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x100:
            raw.append(code)
        elif ch in _CP1252_TO_BYTE:
            raw += _CP1252_TO_BYTE[ch]
        else:
            raise InputError(f"{name} holds UTF-8 Arabic misread as Latin-1 (Ø/Ù mojibake) that cannot be "
                             "repaired exactly; re-export it from the source as UTF-8.")
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        raise InputError(f"{name} holds UTF-8 Arabic misread as Latin-1 (Ø/Ù mojibake) that cannot be "
                         "repaired exactly; re-export it from the source as UTF-8.") from None
