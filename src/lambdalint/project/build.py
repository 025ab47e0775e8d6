"""Build the project model from the records of every template and Terraform root.

Each document is read once by its format's readers (``formats/<format>/records.py``) into
neutral records; the linkers (``link/``) then fill the model in one direction: a document's
functions first (with their versions and provisioned concurrency), the facts only that document
gives them (API Gateway integrations, execution roles, environment variables), then callers,
failure handling, database endpoints and alarms, and last Application Auto Scaling, which may
scale functions of any document.
"""

from __future__ import annotations

from ..link import callers, databases, security
from ..link.alarms import link_alarms
from ..link.functions import link_functions
from ..link.scaling import link_autoscaling
from ..records import DocumentRecords
from .model import Project


def link_documents(project: Project, documents: list[DocumentRecords]) -> None:
    """Fill ``project`` from ``documents`` (templates first, then Terraform roots, each in a
    stable order: the order of every list in the model follows from it)."""
    per_document = []
    for records in documents:
        functions = link_functions(records.functions)
        callers.link(records.api, functions)  # API Gateway integrations -> Function.callers (LL304)
        security.attach(functions, records.security)  # execution roles, environment variables (LL5xx)
        project.functions.extend(functions)
        per_document.append((records, functions))
    for records, functions in per_document:
        callers.link(records.callers, functions, project)
        databases.attach(functions, records.databases)
        project.alarms.extend(link_alarms(records.alarms, functions))
    link_autoscaling(project, [r for records, _ in per_document for r in records.scaling])
