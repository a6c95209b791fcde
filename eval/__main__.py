"""`python -m eval` (`make eval`): every quality measure against the gold files, one table each."""

from __future__ import annotations

import importlib
import sys

# Each module prints its table; `main` returns True/0 when its bar is met.
SECTIONS = [
    ("Sentence segmentation (issue 3)", "eval.segmentation"),
    ("Quotations and speakers (issue 4)", "eval.quotes"),
    ("Speakers by sieve on the real corpus (issue 15)", "eval.speakers"),
    ("Quotation alignment (issue 4)", "eval.alignment"),
    ("Translation QA flags (issue 12)", "eval.qa"),
    ("Summaries (issue 5)", "eval.summaries"),
]


def _met(result: object) -> bool:
    if isinstance(result, bool):
        return result
    return result in (0, None)


def main() -> int:
    failed: list[str] = []
    for title, module_name in SECTIONS:
        print(f"\n== {title} ==", flush=True)
        module = importlib.import_module(module_name)
        try:
            result = module.main([]) if module.main.__code__.co_argcount else module.main()
        except SystemExit as stop:
            result = stop.code
        if not _met(result):
            failed.append(title)
    print()
    if failed:
        print("below the bar: " + "; ".join(failed))
        return 1
    print("every bar met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
