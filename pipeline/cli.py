"""The `tarjama` command line: a thin layer over the library, with errors mapped to exit codes here."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.errors import TarjamaError, UsageError

FORMATS = ("terminal", "json", "md", "html", "tmx")
SUFFIX_FORMATS = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                  ".tmx": "tmx", ".txt": "terminal"}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one sentence with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}; see `{self.prog} --help`.")


def _add_pipeline_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-c", "--config", help="config file (default: configs/default.yaml)")
    p.add_argument("--model", help="hub id or local folder of the translation model")
    p.add_argument("--backend", help="transformers or ctranslate2")
    p.add_argument("--stages", help="comma-separated stages to run, e.g. normalize,segment")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override one config key, e.g. translate.num_beams=2 (repeatable)")


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, help="output format (default: terminal on a terminal, else json)")
    p.add_argument("-o", "--output", help="write to this file (format from its suffix unless --format)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    p.add_argument("--bidi", choices=("on", "off", "auto"), help="reorder Arabic for terminals without RTL")
    p.add_argument("--width", type=int, help="terminal width in columns")
    p.add_argument("--pager", action="store_true", help="page long output in the terminal")
    p.add_argument("--flags-only", action="store_true", help="show only sentences with QA flags")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tarjama", description="Arabic-to-English news: translate, quote, align, summarize.")
    parser.add_argument("--version", action="version", version=f"tarjama {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("translate", help="translate one Arabic article")
    p.add_argument("file", help="the article: a UTF-8 (or Windows-1256/UTF-16) text file")
    _add_pipeline_options(p)
    _add_output_options(p)
    p.set_defaults(run=cmd_translate)

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
    if fmt:
        return fmt
    if output:
        return SUFFIX_FORMATS.get(Path(output).suffix.lower(), "json")
    return "terminal" if sys.stdout.isatty() else "json"


def cmd_translate(args: argparse.Namespace) -> int:
    from pipeline.io import check_output
    from pipeline.pipeline import Pipeline
    from pipeline.reader import read_file

    if not Path(args.file).exists():
        raise UsageError(f"input file {args.file} does not exist; give the path of an Arabic text file.")
    if Path(args.file).is_dir():
        raise UsageError(f"input {args.file} is a directory; give one file (or use `tarjama batch` for many).")
    if args.output:
        check_output(args.output, overwrite=args.overwrite)
    nlp = Pipeline.from_config(args.config, model=args.model, backend=args.backend,
                               stages=args.stages, sets=args.sets)
    configured = nlp.config.stage_settings.get("render", {}).get("format", "auto")
    fmt = choose_format(args.format or (configured if configured != "auto" else None), args.output)
    # The input is read before the model is loaded: a wrong file fails in a moment, not after it.
    doc = read_file(args.file, max_bytes=int(nlp.config.settings.max_input_mb * 1_000_000))
    for warning in doc.meta.get("warnings", []):
        print(f"tarjama: warning: {warning}", file=sys.stderr)
    if nlp.uses_model:
        nlp.context.backend()  # a missing model fails now, before any work
    doc = nlp.run(doc)
    emit(doc, fmt, args, render_settings=nlp.config.stage_settings.get("render", {}))
    return 0


def emit(doc, fmt: str, args: argparse.Namespace, *, render_settings: dict | None = None) -> None:
    """Render `doc` to stdout or to `args.output`, atomically."""
    from pipeline.io import write_atomic
    from pipeline.render import render

    settings = render_settings or {}
    bidi = args.bidi or settings.get("bidi", "on")
    width = args.width or settings.get("width")
    if fmt == "terminal" and not args.output:
        from rich.console import Console

        from pipeline.render.terminal import print_document

        console = Console(width=width) if width else Console()
        print_document(doc, console=console, bidi=bidi, flags_only=args.flags_only,
                       pager=args.pager or settings.get("pager", False))
        return
    text = render(doc, fmt, width=width or 120, bidi=bidi if fmt == "terminal" else "off",
                  flags_only=args.flags_only)
    if args.output:
        write_atomic(args.output, text if text.endswith("\n") else text + "\n", overwrite=args.overwrite)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


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
        args = parser.parse_args(argv)
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
