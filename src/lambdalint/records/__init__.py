"""Neutral records: what one resource of a template or Terraform root says, in no format's terms.

Each format's readers (``formats/<format>/``) turn resources into these records through one
table per resource type; the linkers (``link/``) tie records to ``Function``s and fill the model.
A record names its function with a :class:`FunctionRef`, never with a ``Function``: readers do
not see the model's functions, so they cannot disagree about which one is meant.
"""

from __future__ import annotations

from dataclasses import dataclass

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
