"""Neutral records: what one resource of a template or Terraform root says, in no format's terms.

Each format's readers (``formats/<format>/``) turn resources into these records through one
table per resource type; the linkers (``link/``) tie records to ``Function``s and fill the model.
A record names its function with a :class:`FunctionRef`, never with a ``Function``: readers do
not see the model's functions, so they cannot disagree about which one is meant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..findings import Location
from ..project.model import Qualifier


@dataclass(frozen=True)
class FunctionRef:
    """The function a record is about, as far as its own document tells.

    ``key`` is the function's key in that document (a logical ID, ``aws_lambda_function.orders``,
    ``module.orders``); ``name`` a literal physical name or ARN the record gives instead. Both
    None: the document does not say (an unresolvable value), and the record belongs to no
    function of the project. ``qualifier`` is the alias / version the record invokes (None:
    unqualified, that is ``$LATEST``)."""

    document: str  # Function.root of the document it is read in: template path / Terraform root dir
    key: str | None
    name: str | None
    qualifier: Qualifier | None
    location: Location

    @property
    def resolved(self) -> bool:
        return self.key is not None or self.name is not None


# the concerns a document's records fall into, in the order they are linked (functions first:
# every other record names one of them)
CONCERNS = ("functions", "api", "security", "callers", "databases", "alarms", "scaling")


@dataclass
class DocumentRecords:
    """Everything one template or Terraform root says, as records, concern by concern.

    ``functions`` holds the ``Function``s the document declares plus the records about their
    versions and provisioned concurrency; each other list holds that concern's records (see
    ``records/<concern>.py``). A concern whose reader failed is empty and named in ``failed``."""

    path: str  # the document (a template file, a Terraform root's first file): where problems go
    functions: list = field(default_factory=list)
    api: list = field(default_factory=list)
    security: list = field(default_factory=list)
    callers: list = field(default_factory=list)
    databases: list = field(default_factory=list)
    alarms: list = field(default_factory=list)
    scaling: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (concern, exception) of each reader that raised


def collect(path: str, readers: Mapping[str, Callable[[Any, Callable[[str], bool]], list]], document: Any, exists: Callable[[str], bool]) -> DocumentRecords:
    """Every record of ``document``, asking each concern's reader of its format (``readers``:
    concern -> reader, from ``formats/<format>/records.py``). A reader that raises loses only
    its own concern, named in ``failed`` for the engine to report as LL001 at ``path``."""
    records = DocumentRecords(path)
    for concern, reader in readers.items():
        try:
            setattr(records, concern, list(reader(document, exists)))
        except Exception as exc:  # noqa: BLE001 - reported as LL001 by the engine, never swallowed
            records.failed.append((concern, exc))
    return records
