"""What the batch runner hands an executor (Work) and gets back (Finished, Failed, Metrics), and the shared group retry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Protocol

from pipeline.document import Document
from pipeline.errors import OutputError, TarjamaError


@dataclass
class Work:
    """One document to do: its key in the job, its input bytes and how to read them."""

    key: str
    data: bytes
    label: str
    html: bool = False
    row_id: str | None = None


@dataclass
class Finished:
    """A document through every stage, for the runner to write."""

    key: str
    doc: Document


@dataclass
class Failed:
    """A document that failed alone, and why; the job goes on."""

    key: str
    reason: str


Outcome = Finished | Failed


@dataclass
class Metrics:
    """What an executor measured while it worked: the report's model and reading figures."""

    model_seconds: float = 0.0  # inside the backend's calls
    texts: int = 0  # texts the model translated (cache misses)
    tokens: int = 0  # target tokens generated
    cache_hits: int = 0
    cache_misses: int = 0
    load_seconds: float = 0.0  # loading the model
    read_seconds: float = 0.0  # decoding inputs and the model-free stages, where the executor does them here

    def add(self, other: Metrics) -> None:
        """Add another share (an actor's); model loads overlap, so the slowest is what the run waited for."""
        for f in fields(self):
            if f.name == "load_seconds":
                self.load_seconds = max(self.load_seconds, other.load_seconds)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


class Executor(Protocol):
    """Does a job's work: never writes outputs or the manifest, only hands back documents and failures."""

    metrics: Metrics

    def run(self, work: Iterable[Work]) -> Iterator[Outcome]:
        """Each Work's outcome, as soon as it is ready (in any order); an error that is no one
        document's fault (a missing model, a full disk) is raised and stops the job."""
        ...

    def close(self) -> None:
        """Release what `run` opened (the cache)."""
        ...


def reason(err: BaseException) -> str:
    """Why a document failed, as errors.jsonl says it: tarjama's own message, or the unexpected error."""
    return str(err) if isinstance(err, TarjamaError) else f"unexpected {type(err).__name__}: {err}"


def run_group(run: Callable[[list[Document]], list[Document]], docs: list[Document],
              again: Callable[[int], Document]) -> list[Document | str]:
    """`run` (the model stages) over a group of documents together: each document, or the reason it
    failed. When the group fails, each document is run again alone, from the fresh copy `again(i)`
    gives (the failed run may have changed it), to find the one that spoiled the group. An
    OutputError (a full disk, a broken cache) would fail every document: it is raised."""
    try:
        return list(run(docs))
    except OutputError:
        raise
    except Exception as err:  # a model error too: the model was loaded before the first group
        if len(docs) == 1:
            return [reason(err)]
    results: list[Document | str] = []
    for i in range(len(docs)):
        try:
            results.append(run([again(i)])[0])
        except OutputError:
            raise
        except Exception as err:
            results.append(reason(err))
    return results


def outcomes(keys: list[str], results: list[Document | str]) -> Iterator[Outcome]:
    """run_group's results as Finished or Failed, by key."""
    for key, result in zip(keys, results, strict=True):
        yield Failed(key, result) if isinstance(result, str) else Finished(key, result)
