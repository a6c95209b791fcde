"""Reading article files: encodings, mojibake, binary, empty and missing input."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import InputError, UsageError
from pipeline.html_text import html_to_text
from pipeline.reader import read_bytes, read_file
from tests.conftest import SAMPLES

ARTICLE = "قال الوزير: «الوضع مستقر». وأضاف أن القوات جاهزة.\nفقرة ثانية عن بغداد.\n"


@pytest.mark.parametrize(
    ("data", "encoding", "warning"),
    [
        (ARTICLE.encode("utf-8"), "utf-8", None),
        (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8-sig", "byte-order mark"),
        (ARTICLE.encode("utf-16"), "utf-16", "UTF-16"),
        (ARTICLE.encode("utf-16-le"), "utf-16-le", "UTF-16"),
        (ARTICLE.encode("utf-16-be"), "utf-16-be", "UTF-16"),
        (ARTICLE.replace("«", '"').replace("»", '"').encode("cp1256"), "windows-1256", "Windows-1256"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le", "utf-16-be", "windows-1256"],
)
def test_encodings_are_decoded(data: bytes, encoding: str, warning: str | None) -> None:
    doc = read_bytes(data, path="article.txt")
    assert doc.text.replace('"', "«", 1).replace('"', "»", 1) == ARTICLE
    assert doc.original == doc.text
    assert doc.source.encoding == encoding
    assert doc.source.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.source.path == "article.txt"
    warnings = doc.meta.get("warnings", [])
    if warning is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and warning in warnings[0] and "article.txt" in warnings[0]


@pytest.mark.parametrize("misread_as", ["latin-1", "cp1252"])
def test_mojibake_is_repaired_with_a_warning(misread_as: str) -> None:
    utf8 = ARTICLE.encode("utf-8")
    garbled = "".join(bytes([b]).decode(misread_as, errors="ignore") or chr(b) for b in utf8)
    doc = read_bytes(garbled.encode("utf-8"), path="x.txt")
    assert doc.text == ARTICLE
    assert any("mojibake" in w for w in doc.meta["warnings"])


def test_mojibake_that_lost_bytes_is_an_error() -> None:
    garbled = ARTICLE.encode("utf-8").decode("cp1252", errors="replace")
    with pytest.raises(InputError, match=r"x\.txt .*mojibake"):
        read_bytes(garbled.encode("utf-8"), path="x.txt")


def _zip_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", ARTICLE)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (_zip_bytes, "zip archive"),
        (lambda tmp: b"%PDF-1.7\n...", "PDF"),
        (lambda tmp: b"abc\x00\x01\x02def\x00" * 10, "binary"),
        (lambda tmp: b"", "is empty"),
        (lambda tmp: b"  \n\t\n\xc2\xa0\n", "is empty"),
        (lambda tmp: ARTICLE.encode("utf-8")[:-7] + b"\xff\xfe" + ARTICLE.encode("utf-8"), "damaged UTF-8"),
        (lambda tmp: "Café résumé naïve, déjà vu.\n".encode("latin-1"), "neither UTF-8 nor"),
    ],
    ids=["png", "zip", "pdf", "nul-bytes", "empty", "whitespace", "damaged-utf8", "latin-1"],
)
def test_bad_input_is_an_input_error_naming_the_file(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_bytes(make(tmp_path), path="bad.txt")
    assert str(info.value).startswith("bad.txt ")


def test_text_without_arabic_passes_with_a_notice() -> None:
    doc = read_bytes(b"Just an English line.\n", path="en.txt")
    assert doc.text == "Just an English line.\n"
    assert any("no Arabic" in w for w in doc.meta["warnings"])


def test_missing_file_and_directory_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        read_file(tmp_path / "nope.txt")
    with pytest.raises(UsageError, match="is a directory"):
        read_file(tmp_path)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 100, encoding="utf-8")
    with pytest.raises(InputError, match="over the limit"):
        read_file(path, max_bytes=1000)
    assert read_file(path, max_bytes=10**6).text == ARTICLE * 100


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.ar.txt")), ids=lambda p: p.name)
def test_samples_read_as_plain_utf8(path: Path) -> None:
    doc = read_file(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.source.encoding == "utf-8" and "warnings" not in doc.meta
    assert doc.source.path == str(path)


def test_a_few_stray_control_characters_are_removed_with_a_warning_that_counts_them() -> None:
    # as in snn-3000's alyaum articles: 0x1A pairs where a bullet glyph was
    text = f"\x1a\x1a {ARTICLE}\n\x1a\x1a {ARTICLE}"
    doc = read_bytes(text.encode("utf-8"), path="a.txt")
    stray = text.count("\x1a")
    assert "\x1a" not in doc.text and doc.text == text.replace("\x1a", "") == doc.original
    assert doc.meta["warnings"] == [f"a.txt held {stray} stray control characters; they were removed."]
    one = read_bytes((ARTICLE + "\x7f").encode("utf-8"), path="b.txt")
    assert one.text == ARTICLE and one.meta["warnings"] == ["b.txt held 1 stray control character; it was removed."]


@pytest.mark.parametrize(
    "data",
    [
        "نص \x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f قصير".encode(),  # mostly control characters
        ("\x1b[31m" + "خطأ" + "\x1b[0m\x1b[1m").encode() * 50,  # a terminal log: one control in five characters
        ARTICLE.encode("utf-16") + "\x00".encode("utf-16-le"),  # a NUL character, even in UTF-16
    ],
    ids=["mostly-control", "escape-codes", "utf16-nul"],
)
def test_mostly_control_content_and_nul_are_still_refused_as_binary(data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        read_bytes(data, path="bad.txt")


# -- HTML pages -------------------------------------------------------------------------------------------


def test_html_to_text_keeps_blocks_as_lines():
    html = "<h1>عنوان</h1><p>فقرة <i>أولى</i></p><ul><li>بند</li></ul><script>var x = '<p>';</script>"
    assert html_to_text(html) == "عنوان\nفقرة أولى\nبند\n"


@pytest.mark.parametrize("suffix", [".html", ".htm", ".HTML"])
def test_an_html_file_is_read_as_its_text(tmp_path: Path, suffix: str) -> None:
    page = tmp_path / f"page{suffix}"
    html = (f"<html><head><title>t</title><style>p {{color: red}}</style></head><body><script>alert('x')</script>"
            f"<p>{ARTICLE.splitlines()[0]}</p><div>{ARTICLE.splitlines()[1]} &amp; <b>المزيد</b></div></body></html>")
    page.write_text(html, encoding="utf-8")
    doc = read_file(page)
    assert doc.text == doc.original == f"{ARTICLE.splitlines()[0]}\n{ARTICLE.splitlines()[1]} & المزيد\n"
    assert doc.source.sha256 == hashlib.sha256(html.encode("utf-8")).hexdigest()  # of the page as it was read
    assert "warnings" not in doc.meta  # the Arabic is judged on the text, not on the tags


def test_a_txt_file_holding_tags_is_not_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<p>قال الوزير إن الاجتماع انتهى.</p>\n", encoding="utf-8")
    assert read_file(path).text.startswith("<p>")


def test_an_html_page_with_no_text_is_an_input_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><script>var a = 1;</script></head><body><img src='x.png'></body></html>",
                    encoding="utf-8")
    with pytest.raises(InputError, match="holds no text outside its HTML tags"):
        read_file(page)


def test_tarjama_translate_reads_an_html_article(tmp_path: Path, capsys) -> None:
    from pipeline.cli import main

    article = (SAMPLES / "naas-coalition-bases.ar.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in article.splitlines() if len(p) > 40][:3]
    page = tmp_path / "article.html"
    page.write_text("<!doctype html><html><head><title>خبر</title><script>var tracker = 1;</script></head><body>"
                    + "".join(f"<p>{p}</p>" for p in paragraphs) + "<footer>&copy; 2020</footer></body></html>",
                    encoding="utf-8")
    assert main(["translate", str(page), "--stages", "normalize,segment,quotes", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "tracker" not in doc["text"] and "<" not in doc["text"] and "©" not in doc["text"]
    # The page gives the document its paragraphs give as a plain-text file.
    plain = tmp_path / "article.txt"
    plain.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    assert main(["translate", str(plain), "--stages", "normalize,segment,quotes", "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert doc["text"] == expected["text"] and len(doc["paragraphs"]) == 3 == len(expected["paragraphs"])
    assert [s["text"] for s in doc["sentences"]] == [s["text"] for s in expected["sentences"]]
