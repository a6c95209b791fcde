"""Config: YAML profiles with `extends:`, command-line overrides, and validation before any work."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import logging
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from pipeline import stages as stage_registry
from pipeline.backends.base import GenerationSettings
from pipeline.errors import ConfigError

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "default.yaml"
DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"


@dataclass
class GlobalSettings:
    """The keys at the top of a config file, beside the sections."""

    model: str = DEFAULT_MODEL
    revision: str | None = None
    backend: str = "transformers"  # a registered backend: transformers or ctranslate2
    device: str = "auto"
    stages: list[str] = field(
        default_factory=lambda: ["normalize", "segment", "quotes", "translate", "align", "qa", "summarize"]
    )
    max_input_mb: float = 20.0  # a bigger article file is refused (a dump, not an article); raise it to read one
    cache: str | None = None  # `tarjama translate`'s translation cache (an SQLite file); None: no cache

    def __post_init__(self) -> None:
        if self.max_input_mb <= 0:
            raise ValueError(f"key 'max_input_mb' must be above 0, not {self.max_input_mb!r}")


# The sections that are no stage's own: `generation`, read by every stage that translates (the
# stages name it in their registration), and one per backend (named after it) for its options.
GENERATION = "generation"


def shared_sections() -> dict[str, type]:
    """Every section that is not a stage's: generation, and each registered backend's options."""
    from pipeline.backends import registry as backend_registry

    return {GENERATION: GenerationSettings, **{name: spec.options for name, spec in backend_registry().items()}}


@dataclass
class Config:
    """A validated config: the global settings, and one typed settings object per section (each
    stage's, `generation`, each backend's)."""

    settings: GlobalSettings
    sections: dict[str, Any]
    path: str | None = None

    @property
    def stages(self) -> list[str]:
        return self.settings.stages

    def section(self, name: str) -> Any:
        return self.sections[name]

    @property
    def generation(self) -> GenerationSettings:
        return self.sections[GENERATION]

    @property
    def backend_options(self) -> Any:
        """The options of the configured backend (its section)."""
        return self.sections[self.settings.backend]

    def used_sections(self) -> list[str]:
        """The sections the configured stages read: their own, the shared ones they name, and the
        backend's when one needs the model."""
        specs = stage_registry.registry()
        used: list[str] = []
        for name in self.stages:
            used += [name, *specs[name].shares]
            if specs[name].needs_model:
                used.append(self.settings.backend)
        return list(dict.fromkeys(used))

    def as_dict(self, *, running_only: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = dataclasses.asdict(self.settings)
        wanted = set(self.used_sections()) if running_only else set(self.sections)
        for name, values in self.sections.items():
            if name in wanted:
                out[name] = section_values(values)
        return out

    def sha256(self) -> str:
        # Only the sections the stages that run read: adding a stage module must not change the
        # hash of old configs. Nor where the cache lives: it changes no output.
        values = self.as_dict(running_only=True)
        values.pop("cache", None)
        blob = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


def section_values(obj: Any) -> dict[str, Any]:
    """A section's settings as plain values (nested settings as mappings, private fields left out)."""
    return {f.name: section_values(v) if dataclasses.is_dataclass(v := getattr(obj, f.name)) else v
            for f in dataclasses.fields(obj) if not f.name.startswith("_")}


# -- old key names -------------------------------------------------------------------------------

# Keys that moved to another section; the old names keep working, with a one-line note.
RENAMED: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    **{("translate", key): ((GENERATION, key),) for key in (
        "num_beams", "batch_size", "max_new_tokens", "max_len_a", "max_len_b", "max_chars_a", "max_chars_b",
        "no_repeat_ngram_size", "repetition_penalty")},
    ("segment", "max_chunk_tokens"): ((GENERATION, "max_chunk_tokens"),),
    ("translate", "threads"): (("transformers", "threads"), ("ctranslate2", "threads")),
    ("translate", "compute_type"): (("ctranslate2", "compute_type"),),
    ("translate", "inter_threads"): (("ctranslate2", "inter_threads"),),
}
_NOTED: set[tuple[str, str]] = set()
log = logging.getLogger("tarjama.config")


def upgrade(raw: dict[str, Any], where: str = "") -> dict[str, Any]:
    """`raw` with the old names of moved keys written as the new ones (a one-line note for each,
    once per process). One layer at a time, so a later file or --set still overrides an earlier one."""
    out = dict(raw)
    for (section, key), targets in RENAMED.items():
        block = out.get(section)
        if not isinstance(block, dict) or key not in block:
            continue
        block = dict(block)
        value = block.pop(key)
        out[section] = block
        for target_section, target_key in targets:
            target = out.get(target_section)
            target = dict(target) if isinstance(target, dict) else {}
            if target_key in target:
                raise ConfigError(f"{where}keys '{section}.{key}' and '{target_section}.{target_key}' are both "
                                  f"given, the old name and the new; keep '{target_section}.{target_key}' only.")
            target[target_key] = value
            out[target_section] = target
        if (section, key) not in _NOTED:
            _NOTED.add((section, key))
            new = " and ".join(f"'{s}.{k}'" for s, k in targets)
            log.warning(f"note: config key '{section}.{key}' is now {new}; the old name still works, "
                        "but rename it.")
    return out


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
    data = upgrade(read_yaml(path), f"{path}: ")
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
    # Validated after each layer, so that a mistake is blamed on the layer that made it: the
    # file, a job's block, a --set, the command line's options. The last result is the config.
    config = validate(raw, path=str(source))
    for name, layer in layers:
        raw = merge(raw, upgrade(layer, f"{name}: "))
        config = validate(raw, path=name)
    for assignment in sets:
        where = f"--set {assignment} (on the command line)"
        raw = merge(raw, upgrade(parse_set(assignment), f"{where}: "))
        config = validate(raw, path=where)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if given:
        raw = merge(raw, upgrade(given))
        options = ", ".join(f"--{key}" for key in given)
        config = validate(raw, path=f"{options} (on the command line)")
    config.path = str(source)
    return config


def from_dict(data: dict[str, Any], *, path: str | None = None) -> Config:
    return validate(dict(data), path=path)


# -- validation ---------------------------------------------------------------------------------


def validate(raw: dict[str, Any], *, path: str | None = None) -> Config:
    where = f"{path}: " if path else ""
    specs = stage_registry.registry()
    raw = upgrade(raw, where)
    raw.pop("extends", None)

    global_fields = {f.name: f for f in dataclasses.fields(GlobalSettings)}
    global_values = {k: raw.pop(k) for k in list(raw) if k in global_fields}
    settings = build_dataclass(GlobalSettings, global_values, "", where)
    shared = shared_sections()
    section_types = {**shared, **{name: spec.factory for name, spec in specs.items()}}

    for key in raw:
        if key not in section_types:
            allowed = sorted(set(global_fields) | set(section_types))
            raise ConfigError(f"{where}unknown key '{key}'{_suggest(key, allowed)}; allowed here: {', '.join(allowed)}.")
    backends = [name for name in shared if name != GENERATION]
    if settings.backend not in backends:
        raise ConfigError(f"{where}key 'backend' must be one of {', '.join(backends)}, not {settings.backend!r}"
                          f"{_suggest(settings.backend, backends)}.")

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

    sections: dict[str, Any] = {}
    for name, factory in section_types.items():
        block = raw.get(name) or {}
        if not isinstance(block, dict):
            raise ConfigError(f"{where}key '{name}' must be a mapping of settings, not {block!r}.")
        sections[name] = build_dataclass(factory, block, name, where)
    return Config(settings=settings, sections=sections, path=path)


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


def _suggest_moved(section: str, key: str, allowed: list[str]) -> str:
    """The closest key of the section, or of the keys that moved out of it (by its new name)."""
    moved = {old: targets[0] for (old_section, old), targets in RENAMED.items() if old_section == section}
    close = difflib.get_close_matches(key, [*allowed, *moved], n=1, cutoff=0.6)
    if not close:
        return ""
    name = ".".join(moved[close[0]]) if close[0] in moved else close[0]
    return f" (did you mean '{name}'?)"


def build_dataclass(cls: type, values: dict[str, Any], prefix: str, where: str) -> Any:
    """`cls` built from `values`; an unknown key or a wrong type is a ConfigError naming `prefix.key`
    (config sections and the batch job file's sections alike)."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.name.startswith("_")}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        path = f"{prefix}.{key}" if prefix else key
        if key not in fields:
            allowed = sorted(fields)
            moved = sorted({f"'{t}'" for (old_section, _), targets in RENAMED.items() if old_section == prefix
                            for t, _ in targets})
            listing = ", ".join(allowed) if allowed else "none"
            if not allowed and moved:
                listing += f" (its settings are in {' and '.join(moved)})"
            raise ConfigError(f"{where}unknown key '{path}'{_suggest_moved(prefix, key, allowed)}; "
                              f"allowed keys: {listing}.")
        kwargs[key] = _check_value(hints[key], value, path, where)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{where}{prefix or 'config'}: {str(err).rstrip('.')}.") from None


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
        return build_dataclass(tp, value, path, where)
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
