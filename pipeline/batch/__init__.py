"""Batch jobs: a YAML job of inputs, a pipeline config and outputs, run resumably with a cache, progress and a report.

job (the file and its checks) → inputs (Items) → runner (lock, manifest, outputs, dataset, report),
which drives an executor (local: a reader thread and translation groups; ray: Ray Data) that only
hands back finished documents and failures.
"""

from pipeline.batch.cli import add_command, cmd_batch
from pipeline.batch.inputs import Item, list_items, read_document
from pipeline.batch.job import MANIFEST, Job, load_job
from pipeline.batch.manifest import FolderLock, Manifest
from pipeline.batch.report import Report, print_report
from pipeline.batch.runner import Runner

__all__ = ["MANIFEST", "FolderLock", "Item", "Job", "Manifest", "Report", "Runner", "add_command", "cmd_batch",
           "list_items", "load_job", "print_report", "read_document"]
