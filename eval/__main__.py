"""`python -m eval` (`make eval`): every quality measure against the gold files, one table each.

`python -m eval` runs every section; `python -m eval corpus --diff` runs one section with its own
options (`python -m eval.corpus --help` lists them); `python -m eval --diff` runs every section with
its listing of what went wrong. Through make: `make eval ARGS="corpus --diff"`.
"""

from __future__ import annotations

import importlib
import sys

# Each module prints its table; `main` returns True/0 when its bar is met. key: (title, module)
SECTIONS = {
    "corpus": ("Real news: sentences, quotations and speakers pooled over ../shared/corpus (issue 15)", "eval.corpus"),
    "segmentation": ("Sentence segmentation (issue 3)", "eval.segmentation"),
    "quotes": ("Quotations and speakers (issue 4)", "eval.quotes"),
    "alignment": ("Alignment on professional translations and our references (issues 4, 16)", "eval.alignment"),
    "qa": ("Translation QA flags on professional translations (issues 12, 16)", "eval.qa"),
    "summaries": ("Summaries (issue 5)", "eval.summaries"),
}
# What `--diff` means to the sections that list their misses (each names it its own way).
DIFF_OPTIONS = {"corpus": ["--diff"], "segmentation": ["--diff"], "quotes": ["--verbose"]}


def _met(result: object) -> bool:
    if isinstance(result, bool):
        return result
    return result in (0, None)


def _run(title: str, module_name: str, argv: list[str]) -> bool:
    print(f"\n== {title} ==", flush=True)
    module = importlib.import_module(module_name)
    try:
        result = module.main(argv) if module.main.__code__.co_argcount else module.main()
    except SystemExit as stop:
        result = stop.code
    return _met(result)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SECTIONS:
        title, module_name = SECTIONS[argv[0]]
        return 0 if _run(title, module_name, argv[1:]) else 1
    if argv not in ([], ["--diff"]):
        print(f"usage: python -m eval [{'|'.join(SECTIONS)} [OPTIONS]] | python -m eval [--diff]", file=sys.stderr)
        return 2
    failed = [title for key, (title, module_name) in SECTIONS.items()
              if not _run(title, module_name, DIFF_OPTIONS.get(key, []) if argv else [])]
    print()
    if failed:
        print("below the bar: " + "; ".join(failed))
        return 1
    print("every bar met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
