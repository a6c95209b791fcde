"""The render stage: a block of output settings, validated with the config; the document passes through."""

from __future__ import annotations

import pytest

from pipeline.config import from_dict
from pipeline.errors import ConfigError
from pipeline.stages import get
from pipeline.stages.render import Render
from tests.render.conftest import make_document


def test_settings_and_defaults():
    config = from_dict({"stages": ["normalize"], "render": {"format": "html", "bidi": "auto", "width": 120}})
    assert config.section("render") == Render(format="html", bidi="auto", width=120, pager=False)
    assert from_dict({"stages": ["normalize"]}).section("render") == Render(
        format="auto", bidi="auto", width=None, pager=False)  # the terminal decides (issue 17)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"format": "pdf"}, "format is 'pdf'; use one of auto, terminal, json, md, html, tmx"),
        ({"bidi": "maybe"}, "render.bidi"),
        ({"width": 5}, "width is 5"),
        ({"colour": True}, "unknown key 'render.colour'"),
    ],
)
def test_bad_settings_are_config_errors(block, message):
    with pytest.raises(ConfigError, match=message):
        from_dict({"stages": ["normalize"], "render": block})


def test_the_document_passes_through_unchanged():
    doc = make_document()
    before = doc.to_json()
    spec = get("render")
    assert spec.requires == () and spec.provides == ()
    assert spec.factory()(doc) is doc
    assert doc.to_json() == before
