"""The output formats: each renderer module registers its format by name, with its file suffixes and options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.registry import Registry

if TYPE_CHECKING:
    from pipeline.document import Document

# Every built-in renderer module; importing one registers its format. They are imported on first
# use (terminal pulls in rich), so `import pipeline.render` stays light. The order is the order
# formats are listed in (`--format` choices, error messages).
RENDERER_MODULES = (
    "pipeline.render.terminal",
    "pipeline.render.json",
    "pipeline.render.markdown",
    "pipeline.render.html",
    "pipeline.render.tmx",
)

# The options `render` knows; a renderer declares which of them it takes.
OPTIONS = ("width", "bidi", "flags_only")


@dataclass(frozen=True)
class Renderer:
    """A registered format: `function(doc, **options) -> str`, taking only the `options` it declares.

    `suffixes` are the file suffixes that mean this format (`-o out.htm`); the first is the one a
    batch output file gets."""

    name: str
    function: Callable[..., str]
    suffixes: tuple[str, ...]
    options: tuple[str, ...]

    def __call__(self, doc: Document, **options: Any) -> str:
        return self.function(doc, **{key: options[key] for key in self.options if key in options})


REGISTRY: Registry[Renderer] = Registry("format", RENDERER_MODULES)


def renderer(
    name: str, *, suffixes: tuple[str, ...], options: tuple[str, ...] = ()
) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register `function(doc, **options) -> str` as the format `name`, written to files ending in `suffixes`."""
    if not suffixes or any(not s.startswith(".") or s != s.lower() for s in suffixes):
        raise ValueError(f"format {name!r}: give its suffixes in lower case with their dot, e.g. ('.html', '.htm').")
    unknown = [key for key in options if key not in OPTIONS]
    if unknown:
        raise ValueError(f"format {name!r}: unknown option {unknown[0]!r}; render knows {', '.join(OPTIONS)}.")

    def register(function: Callable[..., str]) -> Callable[..., str]:
        where = f"{function.__module__}.{function.__qualname__}"
        old = REGISTRY.entries.get(name, (None, None))[1]
        if old is not None and f"{old.function.__module__}.{old.function.__qualname__}" != where:
            raise ValueError(f"format {name!r} is registered twice: by {old.function.__module__} and {function.__module__}.")
        for _, other in REGISTRY.entries.values():
            taken = set(other.suffixes) & set(suffixes)
            if other.name != name and taken:
                raise ValueError(f"format {name!r}: suffix {sorted(taken)[0]} already means format {other.name!r}.")
        REGISTRY.add(name, Renderer(name=name, function=function, suffixes=tuple(suffixes), options=tuple(options)),
                     function.__module__)
        return function

    return register


def renderers() -> dict[str, Renderer]:
    """All registered formats, importing the built-in renderer modules on first use."""
    return REGISTRY.all()


def get_renderer(fmt: str) -> Renderer:
    """The renderer of format `fmt`; a ValueError naming the known formats if there is none."""
    found = renderers().get(fmt)
    if found is None:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(format_names())}")
    return found


def format_names() -> tuple[str, ...]:
    return tuple(renderers())


def format_for_suffix(suffix: str) -> str | None:
    """The format a file suffix such as `.htm` means (any case), or None."""
    suffix = suffix.lower()
    return next((r.name for r in renderers().values() if suffix in r.suffixes), None)


def known_suffixes() -> tuple[str, ...]:
    return tuple(s for r in renderers().values() for s in r.suffixes)


def output_suffix(fmt: str) -> str:
    """The suffix a file of format `fmt` is written with: `.html` for html, `.txt` for terminal."""
    return get_renderer(fmt).suffixes[0]


def render(
    doc: Document,
    fmt: str,
    *,
    width: int | None = None,
    bidi: str = "on",
    flags_only: bool = False,
) -> str:
    """`doc` in format `fmt`. `width` and `bidi` matter to the terminal view only (its text, without
    colour codes); `flags_only` keeps only the sentences with QA flags (json keeps everything)."""
    return get_renderer(fmt)(doc, width=width, bidi=bidi, flags_only=flags_only)

