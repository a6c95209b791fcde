"""Config: YAML profiles with `extends:`, command-line overrides, and validation before any work."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from pipeline import stages as stage_registry
from pipeline.errors import ConfigError

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "default.yaml"
DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"


@dataclass
class GlobalSettings:
    """The keys at the top of a config file, beside the stage blocks."""

    model: str = DEFAULT_MODEL
    revision: str | None = None
    backend: Literal["transformers", "ctranslate2"] = "transformers"
    device: str = "auto"
    stages: list[str] = field(
        default_factory=lambda: ["normalize", "segment", "quotes", "translate", "align", "qa", "summarize"]
    )
    max_input_mb: float = 20.0  # a bigger article file is refused (a dump, not an article); raise it to read one
    cache: str | None = None  # `tarjama translate`'s translation cache (an SQLite file); None: no cache

    def __post_init__(self) -> None:
        if self.max_input_mb <= 0:
            raise ValueError(f"key 'max_input_mb' must be above 0, not {self.max_input_mb!r}")


@dataclass
class Config:
    """A validated config: global settings plus one settings dict per stage."""

    settings: GlobalSettings
    stage_settings: dict[str, dict[str, Any]]
    path: str | None = None

    @property
    def stages(self) -> list[str]:
        return self.settings.stages

    def as_dict(self, *, running_only: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = dataclasses.asdict(self.settings)
        for name, values in self.stage_settings.items():
            if not running_only or name in self.stages:
                out[name] = {k: dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v
                             for k, v in values.items()}
        return out

    def sha256(self) -> str:
        # Only the stages that run: adding a stage module must not change the hash of old configs.
        # Nor where the cache lives: it changes no output.
        values = self.as_dict(running_only=True)
        values.pop("cache", None)
        blob = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


# -- loading ------------------------------------------------------------------------------------


def read_yaml(path: str | Path, *, what: str = "config file") -> dict[str, Any]:
    """Load one YAML mapping safely; a syntax error names the line and column."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{what} {path} does not exist; give the path of a YAML file.")
    if path.is_dir():
        raise ConfigError(f"{what} {path} is a directory; give the path of a YAML file.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{what} {path} is not UTF-8 text; save it as UTF-8.") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{what} {path} is not valid YAML{where}: {err.problem}; fix the syntax there."
        ) from None
    except yaml.YAMLError as err:
        raise ConfigError(f"{what} {path} is not valid YAML: {err}; fix the syntax.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{what} {path} must be a YAML mapping of keys to values, not a {type(data).__name__}.")
    return data


def load_raw(path: str | Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read a profile and the chain of files it `extends:`, merged (later keys win)."""
    path = Path(path).resolve()
    if path in _seen:
        chain = " -> ".join(p.name for p in (*_seen, path))
        raise ConfigError(f"config files extend each other in a loop ({chain}); remove one `extends:`.")
    data = read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ConfigError(f"{path}: key 'extends' must be the path of another config file, not {parent!r}.")
    base = load_raw((path.parent / parent) if not Path(parent).is_absolute() else Path(parent), (*_seen, path))
    return merge(base, data)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def parse_set(assignment: str) -> dict[str, Any]:
    """`translate.num_beams=2` -> {"translate": {"num_beams": 2}}; the value is read as YAML."""
    if "=" not in assignment:
        raise ConfigError(f"--set {assignment!r} must look like KEY.PATH=VALUE, e.g. translate.num_beams=2.")
    key, _, raw = assignment.partition("=")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ConfigError(f"--set {assignment!r} names no key; use KEY.PATH=VALUE.")
    nested: dict[str, Any] = {parts[-1]: value}
    for part in reversed(parts[:-1]):
        nested = {part: nested}
    return nested


def load_config(
    path: str | Path | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    sets: list[str] | tuple[str, ...] = (),
    layers: Sequence[tuple[str, dict[str, Any]]] = (),
) -> Config:
    """Load, merge and validate a config: the default profile unless `path` is given, then each of
    `layers` (a name to blame its mistakes on, and raw keys, e.g. a batch job's `pipeline:`), then
    `sets`, then `overrides`."""
    source = Path(path) if path is not None else DEFAULT_CONFIG
    raw = load_raw(source)
    if sets or layers:
        validate(raw, path=str(source))  # the file's own mistakes are blamed on the file
    # issue 18 (batch): layers of raw keys between the profile and the --set lines.
    for name, layer in layers:
        raw = merge(raw, layer)
        validate(raw, path=name)
    for assignment in sets:
        raw = merge(raw, parse_set(assignment))
        # ... and a --set's on the command line, which the user typed.
        validate(raw, path=f"--set {assignment} (on the command line)")
    if overrides:
        raw = merge(raw, {k: v for k, v in overrides.items() if v is not None})
    return validate(raw, path=str(source))


def from_dict(data: dict[str, Any], *, path: str | None = None) -> Config:
    return validate(dict(data), path=path)


# -- validation ---------------------------------------------------------------------------------


def validate(raw: dict[str, Any], *, path: str | None = None) -> Config:
    where = f"{path}: " if path else ""
    specs = stage_registry.registry()
    raw = dict(raw)
    raw.pop("extends", None)

    global_fields = {f.name: f for f in dataclasses.fields(GlobalSettings)}
    global_values = {k: raw.pop(k) for k in list(raw) if k in global_fields}
    settings = _build_dataclass(GlobalSettings, global_values, "", where)

    for key in raw:
        if key not in specs:
            allowed = sorted(set(global_fields) | set(specs))
            raise ConfigError(f"{where}unknown key '{key}'{_suggest(key, allowed)}; allowed here: {', '.join(allowed)}.")

    for i, name in enumerate(settings.stages):
        if name not in specs:
            raise ConfigError(
                f"{where}stages[{i}]: unknown stage '{name}'{_suggest(name, list(specs))}; "
                f"known stages: {', '.join(specs)}."
            )
    if len(set(settings.stages)) != len(settings.stages):
        dup = next(s for s in settings.stages if settings.stages.count(s) > 1)
        raise ConfigError(f"{where}stages: '{dup}' is listed twice; list each stage once.")
    check_order(settings.stages, where)

    stage_settings: dict[str, dict[str, Any]] = {}
    for name, spec in specs.items():
        block = raw.get(name) or {}
        if not isinstance(block, dict):
            raise ConfigError(f"{where}key '{name}' must be a mapping of settings, not {block!r}.")
        obj = _build_dataclass(spec.factory, block, name, where)
        stage_settings[name] = {
            f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if not f.name.startswith("_")
        }
    return Config(settings=settings, stage_settings=stage_settings, path=path)


def check_order(names: list[str], where: str = "") -> None:
    """Every stage's requirements must be provided by a stage before it."""
    specs = stage_registry.registry()
    provided = {"text"}
    providers = {p: s.name for s in specs.values() for p in s.provides}
    for name in names:
        spec = specs[name]
        for need in spec.requires:
            if need not in provided:
                maker = providers.get(need)
                hint = (
                    f"put '{maker}' before '{name}' in stages"
                    if maker and maker in names
                    else f"add '{maker}' before '{name}' in stages" if maker else "remove it"
                )
                raise ConfigError(f"{where}stages: '{name}' needs {need}, which no earlier stage provides; {hint}.")
        provided.update(spec.provides)


def _suggest(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _build_dataclass(cls: type, values: dict[str, Any], prefix: str, where: str) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.name.startswith("_")}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        path = f"{prefix}.{key}" if prefix else key
        if key not in fields:
            allowed = sorted(fields)
            listing = ", ".join(allowed) if allowed else "none"
            raise ConfigError(f"{where}unknown key '{path}'{_suggest(key, allowed)}; allowed keys: {listing}.")
        kwargs[key] = _check_value(hints[key], value, path, where)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{where}{prefix or 'config'}: {str(err).rstrip('.')}.") from None


# issue 18 (batch): the job file's sections are built and checked as config sections are.
def build_dataclass(cls: type, values: dict[str, Any], prefix: str, where: str) -> Any:
    """`cls` built from `values`; an unknown key or a wrong type is a ConfigError naming `prefix.key`."""
    return _build_dataclass(cls, values, prefix, where)


def _describe(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return " or ".join(repr(a) for a in typing.get_args(tp))
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_describe(a) for a in typing.get_args(tp))
    if tp is type(None):
        return "null"
    if origin is list:
        return f"a list of {_describe(typing.get_args(tp)[0])}"
    if origin is dict:
        return "a mapping"
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false"}.get(tp, str(tp))


def _check_value(tp: Any, value: Any, path: str, where: str) -> Any:
    origin = typing.get_origin(tp)
    bad = ConfigError(f"{where}key '{path}' must be {_describe(tp)}, not {value!r}.")
    if tp is Any:
        return value
    if origin is Literal:
        if value not in typing.get_args(tp):
            raise bad
        return value
    if origin in (types.UnionType, typing.Union):
        for option in typing.get_args(tp):
            try:
                return _check_value(option, value, path, where)
            except ConfigError:
                continue
        raise bad
    if tp is type(None):
        if value is not None:
            raise bad
        return None
    if origin is list:
        if not isinstance(value, list):
            raise bad
        (item,) = typing.get_args(tp)
        return [_check_value(item, v, f"{path}[{i}]", where) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise bad
        return dict(value)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise bad
        return _build_dataclass(tp, value, path, where)
    if tp is bool:
        if not isinstance(value, bool):
            raise bad
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise bad
        return value
    return value
