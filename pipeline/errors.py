"""The errors a user can meet, each one sentence that names the file, key or model and what to do."""

from __future__ import annotations


class TarjamaError(Exception):
    """Base class: `str(err)` is the whole message a user sees; `exit_code` is what the CLI returns."""

    exit_code = 1


class ConfigError(TarjamaError):
    """A bad config file, key, value, stage list or command-line option (exit 2)."""

    exit_code = 2


class InputError(TarjamaError):
    """An input document that cannot be read or processed (exit 1)."""

    exit_code = 1


class UsageError(TarjamaError):
    """A command line that cannot work as given: a missing file, an existing output (exit 2)."""

    exit_code = 2


class ModelError(TarjamaError):
    """A model that is missing, corrupted or of the wrong kind (exit 2)."""

    exit_code = 2


class StageError(TarjamaError):
    """A stage that failed on a document (exit 1)."""

    exit_code = 1


class OutputError(TarjamaError):
    """An output that cannot be written (exit 1)."""

    exit_code = 1
