"""The renderer registry: one table of formats, suffixes and options that render, the CLI and batch read."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import pipeline.render
from pipeline.cli import main
from pipeline.document import Document
from pipeline.render import format_for_suffix, format_names, output_suffix, render, renderer, renderers
from pipeline.render.terminal import render_text
from tests.conftest import ROOT


# A whole new format, as a module would add it: a function and its registration.
def render_csv(doc: Document, *, flags_only: bool = False) -> str:
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\n")
    rows.writerow(["id", "arabic", "english"])
    for sentence in doc.sentences or []:
        if not flags_only or sentence.flags:
            rows.writerow([sentence.id, sentence.text, sentence.translation or ""])
    return out.getvalue()


@contextmanager
def csv_registered() -> Iterator[None]:
    """The csv format registered for the block, and the registry as it was afterwards."""
    with pytest.MonkeyPatch.context() as mp:
        renderers()  # the built-in formats registered before the copy
        mp.setattr(pipeline.render.REGISTRY, "entries", dict(pipeline.render.REGISTRY.entries))
        renderer("csv", suffixes=(".csv",), options=("flags_only",))(render_csv)
        yield


@pytest.fixture
def csv_format() -> Iterator[None]:
    with csv_registered():
        yield


@pytest.fixture
def saved(tmp_path, doc):
    path = tmp_path / "doc.json"
    path.write_text(doc.to_json(), encoding="utf-8")
    return path


def test_the_built_in_formats_and_their_suffixes():
    table = {name: r.suffixes for name, r in renderers().items()}
    assert table == {"terminal": (".txt",), "json": (".json",), "md": (".md", ".markdown"),
                     "html": (".html", ".htm"), "tmx": (".tmx",)}
    # What batch names its output files: one per format, as before the registry.
    assert [output_suffix(f) for f in format_names()] == [".txt", ".json", ".md", ".html", ".tmx"]
    assert format_for_suffix(".HTM") == "html"
    assert format_for_suffix(".markdown") == "md"
    assert format_for_suffix(".pdf") is None


def test_each_renderer_gets_only_the_options_it_declares(doc):
    assert renderers()["terminal"].options == ("width", "bidi", "flags_only")
    assert renderers()["json"].options == ()
    # json takes no flags_only: the document stays whole.
    assert render(doc, "json", width=60, bidi="off", flags_only=True) == doc.to_json()
    assert render(doc, "terminal", width=60, bidi="off") == render_text(doc, width=60, bidi="off")
    assert render(doc, "terminal", width=60, bidi="off") != render(doc, "terminal", width=120, bidi="off")


def test_an_unknown_format_names_the_known_ones(doc):
    with pytest.raises(ValueError, match="unknown format 'pdf': use one of terminal, json, md, html, tmx"):
        output_suffix("pdf")


def test_a_registered_format_renders(csv_format, doc):
    assert format_names()[-1] == "csv"
    assert format_for_suffix(".csv") == "csv" and output_suffix("csv") == ".csv"
    rows = list(csv.reader(io.StringIO(render(doc, "csv", width=80, bidi="on"))))
    assert rows[0] == ["id", "arabic", "english"]
    assert [r[0] for r in rows[1:]] == [s.id for s in doc.sentences]
    flagged = list(csv.reader(io.StringIO(render(doc, "csv", flags_only=True))))
    assert [r[0] for r in flagged[1:]] == [s.id for s in doc.sentences if s.flags]


def test_the_command_line_writes_a_registered_format_by_suffix_and_by_name(csv_format, saved, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["render", str(saved), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render(Document.from_json(saved.read_text(encoding="utf-8")), "csv")
    assert main(["render", str(saved), "--format", "csv"]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")


def test_the_registration_is_undone_after_the_block(saved, tmp_path, capsys):
    with csv_registered():
        assert "csv" in format_names()
    assert "csv" not in format_names() and format_for_suffix(".csv") is None
    assert main(["render", str(saved), "--format", "csv"]) == 2
    assert "invalid choice: 'csv' (choose from 'terminal', 'json', 'md', 'html', 'tmx')" in capsys.readouterr().err
    assert main(["render", str(saved), "-o", str(tmp_path / "out.csv")]) == 2
    assert "cannot tell the format of" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "suffixes", "options", "message"),
    [
        ("csv", ("csv",), (), "in lower case with their dot"),
        ("csv", (".CSV",), (), "in lower case with their dot"),
        ("csv", (), (), "in lower case with their dot"),
        ("csv", (".csv",), ("colour",), "unknown option 'colour'; render knows width, bidi, flags_only"),
        ("csv", (".htm",), (), "suffix .htm already means format 'html'"),
        ("html", (".xhtml",), (), "format 'html' is registered twice"),
    ],
)
def test_a_wrong_registration_is_refused(name, suffixes, options, message):
    with pytest.MonkeyPatch.context() as mp:
        renderers()  # the built-in formats registered before the copy
        mp.setattr(pipeline.render.REGISTRY, "entries", dict(pipeline.render.REGISTRY.entries))
        with pytest.raises(ValueError, match=message):
            renderer(name, suffixes=suffixes, options=options)(render_csv)


def test_importing_the_package_loads_no_renderer():
    # The registry is filled on first use: `import pipeline.render` must not pull in rich.
    code = "import sys, pipeline.render; print(sorted(m for m in sys.modules if m.startswith(('rich', 'pipeline.render.'))))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
