"""The summarize tests' fixture: the made-up article."""

from tests.summarize.articles import article  # noqa: F401 - a fixture, registered by being imported here
