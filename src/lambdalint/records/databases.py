"""Database records: the environment variables that may point a function at a database (LL401
asks for reserved concurrency on such functions: a burst of invocations exhausts connections).
``link/databases.py`` decides which of them do."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Location
from . import FunctionRef


@dataclass(frozen=True)
class DatabaseVariable:
    """One environment variable of a function, as the database linker judges it."""

    function: FunctionRef
    name: str
    location: Location
    references_database: bool  # the value refers to an RDS instance, cluster or proxy of the document
    value: str | None  # the value when it resolves to a string, else None
    in_vpc: bool  # the function is attached to a VPC (a database name then suffices)
