"""The manifest and the output folder's lock."""

from __future__ import annotations

import os

from pipeline.batch import FolderLock
from tests.batch.conftest import (
    batch,
    copies,
    write_job,
)


def test_a_second_run_on_the_same_folder_refuses(tmp_path, capsys):
    copies(tmp_path / "in", 1)
    job = write_job(tmp_path, [{"glob": "in/*.txt"}], model=None)
    (tmp_path / "out").mkdir()
    with FolderLock(tmp_path / "out"):
        assert batch(job) == 2
    err = capsys.readouterr().err
    assert "is in use by another tarjama batch" in err and f"pid {os.getpid()}" in err
    assert batch(job) == 0  # released: the next run goes ahead
