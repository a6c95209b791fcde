"""The `tarjama` command line: a thin layer over the library, with errors mapped to exit codes here."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, TarjamaError, UsageError
from pipeline.version import __version__


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one sentence with exit code 2 (main adds the one
    `tarjama: error:` prefix; a subcommand names itself)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        import difflib
        import re

        command = self.prog.removeprefix("tarjama").strip()
        # A mistyped command or choice: the closest one, as for options and config keys.
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice and "did you mean" not in message:
            options = [c.strip(" '") for c in choice.group(2).split(",")]
            close = difflib.get_close_matches(choice.group(1), options, n=1, cutoff=0.6)
            if close:
                message = f"{message.rstrip('.')} (did you mean '{close[0]}'?)"
        raise UsageError(f"{command + ': ' if command else ''}{message}; see `{self.prog} --help`.")


def _add_global_options(p: argparse.ArgumentParser) -> None:
    """Options every command takes, before or after its name (`tarjama --debug translate` or
    `tarjama translate ... --debug`); SUPPRESS keeps a subcommand's default from undoing the first."""
    default = False if p.prog == "tarjama" else argparse.SUPPRESS
    p.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    p.add_argument("-q", "--quiet", action="store_true", default=default,
                   help="no progress and no \"wrote PATH\" on stderr")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every subcommand's parser under `parser`, by its prog ("tarjama models download")."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found[child.prog] = child
                found.update(_subparsers(child))
    return found


def _unrecognized(parser: argparse.ArgumentParser, args: argparse.Namespace, extras: list[str]) -> UsageError:
    """Unknown arguments, with the closest option of the command that was meant."""
    import difflib

    prog = getattr(args, "prog", None) or parser.prog
    command = _subparsers(parser).get(prog, parser)
    options = [o for action in command._actions for o in action.option_strings if o.startswith("--")]
    hints = []
    for extra in extras:
        name = extra.split("=", 1)[0]
        close = difflib.get_close_matches(name, options, n=1, cutoff=0.6) if name.startswith("-") else []
        if close:
            hints.append(f"did you mean {close[0]}?")
    where = prog.removeprefix("tarjama").strip()
    hint = f" ({' '.join(hints)})" if hints else ""
    return UsageError(f"{where + ': ' if where else ''}unrecognized arguments: {' '.join(extras)}{hint}; "
                      f"see `{prog} --help`.")


def _add_pipeline_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-c", "--config", help="config file (default: configs/default.yaml)")
    p.add_argument("--model", help="hub id or local folder of the translation model")
    p.add_argument("--backend", help="transformers or ctranslate2")
    p.add_argument("--stages", help="comma-separated stages to run, e.g. normalize,segment")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override one config key, e.g. generation.num_beams=2 (repeatable)")


def _add_output_options(p: argparse.ArgumentParser) -> None:
    from pipeline.render import format_names

    p.add_argument("--format", choices=format_names(), help="output format (default: terminal on a terminal, else json)")
    p.add_argument("-o", "--output", help="write to this file (format from its suffix unless --format)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    p.add_argument("--bidi", choices=("on", "off", "auto"), help="reorder Arabic for terminals without RTL")
    p.add_argument("--width", type=int, help="terminal width in columns")
    p.add_argument("--pager", action="store_true", help="page long output in the terminal")
    p.add_argument("--flags-only", action="store_true", help="show only sentences with QA flags")
    p.set_defaults(prog=p.prog)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tarjama", description="Arabic-to-English news: translate, quote, align, summarize.")
    parser.add_argument("--version", action="version", version=f"tarjama {__version__}")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("translate", help="translate one Arabic article")
    p.add_argument("file", help="the article: a UTF-8 (or Windows-1256/UTF-16) text file, or - for standard input")
    _add_pipeline_options(p)
    p.add_argument("--cache", metavar="PATH", help="translation cache (SQLite) to reuse across runs; "
                   "also the `cache:` config key")
    _add_output_options(p)
    p.set_defaults(run=cmd_translate)

    p = sub.add_parser("render", help="render a saved JSON document as terminal, html, md or tmx (no model)")
    p.add_argument("file", help="a document written by `tarjama translate --format json`")
    _add_output_options(p)
    p.set_defaults(run=cmd_render)

    p = sub.add_parser("models", help="download, convert or list models")
    msub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    d = msub.add_parser("download", help="fetch a model into the Hugging Face cache ahead of time")
    d.add_argument("model", nargs="?", help="hub id (default: the configured model)")
    d.add_argument("--revision")
    d.set_defaults(run=cmd_models_download)
    c = msub.add_parser("convert", help="convert a model for the ctranslate2 backend ahead of time")
    c.add_argument("model", nargs="?", help="hub id or local folder (default: the configured model)")
    c.add_argument("--revision")
    c.add_argument("--quantization", default="int8", help="int8, int8_float16, float16 or float32")
    c.set_defaults(run=cmd_models_convert)
    ls = msub.add_parser("list", help="list the models in the local cache")
    ls.set_defaults(run=cmd_models_list)
    p.set_defaults(run=lambda args: _missing_action(p))

    _register_optional_commands(sub)
    for child in _subparsers(parser).values():
        _add_global_options(child)
        child.set_defaults(prog=child.prog)
    return parser


def _register_optional_commands(sub: argparse._SubParsersAction) -> None:
    """Commands whose modules add themselves: each module defines `add_command(sub)`."""
    import importlib

    for module in ("pipeline.align_text", "pipeline.render.diff", "pipeline.batch", "pipeline.bench"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name == module:
                continue
            raise
        add = getattr(mod, "add_command", None)
        if add is not None:
            add(sub, _add_pipeline_options, _add_output_options)


def _missing_action(p: argparse.ArgumentParser) -> int:
    raise UsageError(f"{p.prog} needs an action; see `{p.prog} --help`.")


# -- translate ---------------------------------------------------------------------------------


def choose_format(fmt: str | None, output: str | None) -> str:
    from pipeline.render import format_for_suffix, known_suffixes

    if fmt:
        return fmt
    if output:
        suffix = Path(output).suffix.lower()
        found = format_for_suffix(suffix)
        if found is None:
            known = ", ".join(sorted(known_suffixes()))
            raise UsageError(f"cannot tell the format of {output} from its suffix ({suffix or 'none'}); "
                             f"name it with one of {known}, or give --format.")
        return found
    return "terminal" if sys.stdout.isatty() else "json"


def check_output_path(output: str, *, overwrite: bool) -> None:
    """An output file can be written: its folder exists (a typo in it is not silently created)."""
    from pipeline.io import check_output

    folder = Path(output).parent
    if not folder.exists():
        above = folder
        while not above.exists() and above != above.parent:
            above = above.parent
        if above.is_dir():
            raise UsageError(f"cannot write {output}: the folder {folder} does not exist; create it first or "
                             "choose another path.")
    check_output(output, overwrite=overwrite)  # a file in the way, an existing output, no permission


def read_article(path: str, max_bytes: int):
    """The article at `path` (- reads standard input); a saved JSON document is refused with the
    command that renders it."""
    from pipeline.reader import read_bytes, read_file

    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"standard input is over the limit of {max_bytes / 1e6:.3g} MB; raise `max_input_mb` "
                             "in the config to read it.")
        doc = read_bytes(data, path="<stdin>")
    else:
        if not Path(path).exists():
            raise UsageError(f"input file {path} does not exist; give the path of an Arabic text file.")
        if Path(path).is_dir():
            raise UsageError(f"input {path} is a directory; give one file (or use `tarjama batch` for many).")
        doc = read_file(path, max_bytes=max_bytes)
    if _is_saved_document(doc.text):
        from pipeline.render import format_names

        shown = path if path != "-" else "the input"
        others = ", ".join(f for f in format_names() if f not in ("json", "html"))
        raise UsageError(f"{shown} is a tarjama JSON document, not an article; to show it in another format run "
                         f"`tarjama render {path if path != '-' else 'DOC.json'} --format html` (or {others}).")
    return doc


def _is_saved_document(text: str) -> bool:
    if not text.lstrip().startswith("{"):
        return False
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and str(data.get("schema", "")).startswith("tarjama.document")


def cmd_translate(args: argparse.Namespace) -> int:
    from pipeline.pipeline import AnnouncedStage, Pipeline

    if args.file != "-" and not Path(args.file).exists():
        raise UsageError(f"input file {args.file} does not exist; give the path of an Arabic text file.")
    nlp = Pipeline.from_config(args.config, model=args.model, backend=args.backend,
                               stages=args.stages, sets=args.sets)
    configured = nlp.config.section("render").format
    fmt = choose_format(args.format or (configured if configured != "auto" else None), args.output)
    # The input is read and the output checked before the model is loaded: a wrong file fails in
    # a moment, not after it.
    doc = read_article(args.file, int(nlp.config.settings.max_input_mb * 1_000_000))
    if args.output:
        check_output_path(args.output, overwrite=args.overwrite)
    for warning in doc.meta.get("warnings", []):
        print(f"tarjama: warning: {warning}", file=sys.stderr)
    cache = _open_cache(args.cache or nlp.config.settings.cache) if nlp.uses_model else None
    progress = Progress.for_stderr(quiet=args.quiet)
    try:
        if nlp.uses_model:
            nlp.context.backend()  # a missing model fails now, before any work
            nlp.context.cache = cache
        if progress:
            for _, component in nlp.stages:
                if hasattr(component, "_progress"):
                    component._progress = progress.sentences
            nlp.stages = [(name, AnnouncedStage(name, component, progress.stage)) for name, component in nlp.stages]
        doc = nlp.run(doc)
    finally:
        if progress:
            progress.close()
        if cache is not None:
            cache.close()
    emit(doc, fmt, args, render_settings=nlp.config.section("render"))
    return 0


def _open_cache(path: str | None):
    if not path:
        return None
    from pipeline.cache import TranslationCache

    return TranslationCache(path)


def cmd_render(args: argparse.Namespace) -> int:
    """A saved document in another format, with no model and no pipeline."""
    from pipeline.document import Document

    path = Path(args.file)
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "does not exist"
        raise UsageError(f"{args.file} {what}; give a JSON document written by `tarjama translate --format json`.")
    if args.output:
        check_output_path(args.output, overwrite=args.overwrite)
    fmt = choose_format(args.format, args.output)
    try:
        doc = Document.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(f"{args.file} is not a tarjama JSON document ({err}); give one written by "
                         "`tarjama translate --format json`.") from None
    emit(doc, fmt, args)
    return 0


def resolve_bidi_mode(cli: str | None, configured: str | None) -> str:
    """--bidi, else TARJAMA_BIDI, else the config's render.bidi, else auto (decided by the terminal)."""
    env = os.environ.get("TARJAMA_BIDI", "").strip().lower()
    if env and env not in ("on", "off", "auto"):
        raise UsageError(f"TARJAMA_BIDI is {env!r}; set it to on, off or auto (or unset it).")
    return cli or env or configured or "auto"


def emit(doc, fmt: str, args: argparse.Namespace, *, render_settings: Any = None) -> None:
    """Render `doc` to stdout or to `args.output`, atomically; `render_settings` is the config's
    render section (the command line's options win over it)."""
    from pipeline.io import write_atomic
    from pipeline.render import render
    from pipeline.stages.render import Render

    settings = render_settings or Render()
    bidi = resolve_bidi_mode(args.bidi, settings.bidi)
    width = args.width or settings.width
    if fmt == "terminal" and not args.output:
        from rich.console import Console

        from pipeline.render.terminal import print_document

        console = Console(width=width) if width else Console()
        print_document(doc, console=console, bidi=bidi, flags_only=args.flags_only,
                       pager=args.pager or settings.pager)
        return
    # Only the terminal renderer takes bidi (and width): the registry passes each its own options.
    text = render(doc, fmt, width=width or 120, bidi=bidi, flags_only=args.flags_only)
    if args.output:
        write_atomic(args.output, text if text.endswith("\n") else text + "\n", overwrite=args.overwrite)
        if sys.stderr.isatty() and not getattr(args, "quiet", False):
            print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


class Progress:
    """One line on a terminal's stderr, redrawn: sentences done of total, elapsed, an estimate."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn = False

    @classmethod
    def for_stderr(cls, *, quiet: bool = False) -> Progress | None:
        """A progress line on stderr, or None when stderr is not a terminal or with --quiet."""
        return None if quiet or not sys.stderr.isatty() else cls(sys.stderr)

    def sentences(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        line = f"translating: {done}/{total} sentences · {_clock(elapsed)} elapsed"
        if 0 < done < total:
            line += f" · about {_clock(elapsed / done * (total - done))} left"
        self._draw(line)

    def stage(self, name: str) -> None:
        """A stage other than translate has started (they take seconds, not minutes: no estimate)."""
        self._draw(f"{STAGE_WORDS.get(name, name)} · {_clock(time.monotonic() - self.started)} elapsed")

    def _draw(self, line: str) -> None:
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


STAGE_WORDS = {"normalize": "cleaning", "segment": "segmenting", "quotes": "finding quotations",
               "align": "aligning quotations", "qa": "checking", "summarize": "summarizing"}


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes}:{secs:02d}"


# -- models ------------------------------------------------------------------------------------


def _configured_model() -> str:
    from pipeline.config import load_config

    return load_config().settings.model


def cmd_models_download(args: argparse.Namespace) -> int:
    from pipeline.models import download

    model = args.model or _configured_model()
    path = download(model, args.revision)
    print(f"{model}: downloaded to {path}")
    return 0


def cmd_models_convert(args: argparse.Namespace) -> int:
    from pipeline.backends.convert import convert_model

    model = args.model or _configured_model()
    path = convert_model(model, revision=args.revision, quantization=args.quantization)
    print(f"{model}: converted for ctranslate2 ({args.quantization}) in {path}")
    return 0


def cmd_models_list(args: argparse.Namespace) -> int:
    from huggingface_hub import scan_cache_dir

    try:
        info = scan_cache_dir()
    except Exception:
        print("no Hugging Face cache yet")
        return 0
    for repo in sorted(info.repos, key=lambda r: r.repo_id):
        if repo.repo_type == "model":
            print(f"{repo.repo_id}\t{repo.size_on_disk_str}\t{repo.repo_path}")
    return 0


# -- entry point -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or os.environ.get("TARJAMA_DEBUG") == "1"
    logging.basicConfig(level=logging.INFO if debug else logging.WARNING, format="tarjama: %(message)s")
    if not debug:
        _quiet_libraries()
    try:
        parser = build_parser()
        if not argv:
            parser.print_help()
            return 2
        args, extras = parser.parse_known_args(argv)
        if extras:
            raise _unrecognized(parser, args, extras)
        run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
        if run is None:
            parser.print_help()
            return 2
        return int(run(args) or 0)
    except TarjamaError as err:
        if debug:
            raise
        print(f"tarjama: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("tarjama: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug: say so in one line, the traceback with --debug
        if debug:
            raise
        print(f"tarjama: error: unexpected {type(err).__name__}: {err}; rerun with --debug and report it.",
              file=sys.stderr)
        return 1


def _quiet_libraries() -> None:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    if not sys.stderr.isatty():  # on a terminal, a model download shows its progress bar
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import warnings

    warnings.filterwarnings("ignore")


if __name__ == "__main__":
    raise SystemExit(main())
