"""The registry the stages, backends and formats share: built-in modules imported on first read, in their order."""

from __future__ import annotations

from pipeline.backends import registry as backends
from pipeline.registry import Registry
from pipeline.render import format_names
from pipeline.stages import registry as stages


def test_built_in_entries_come_in_their_modules_order_whoever_registered_first() -> None:
    found = Registry("thing", ("json", "pipeline.version"))  # modules that exist; importing them adds nothing
    found.add("late", "from a test", "tests.somewhere")
    found.add("second", "b", "pipeline.version")
    found.add("first", "a", "json")
    assert list(found.all()) == ["first", "second", "late"]


def test_the_three_registries_list_the_built_ins() -> None:
    assert list(stages()) == ["normalize", "segment", "quotes", "translate", "align", "qa", "summarize", "render"]
    assert list(backends()) == ["transformers", "ctranslate2"]
    assert format_names() == ("terminal", "json", "md", "html", "tmx")
