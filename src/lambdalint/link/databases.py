"""Database linker: which environment variables point a function at a database
(``Function.db_endpoints``, LL401: without reserved concurrency, a burst opens more connections
than the database accepts)."""

from __future__ import annotations

import re
from typing import Iterable

from ..project.model import Function
from ..records.databases import DatabaseVariable
from .functions import FunctionIndex

_DB_NAME = re.compile(r"(^|_)(DB|DATABASE|RDS|PG|POSTGRES|POSTGRESQL|MYSQL|MARIADB|AURORA|SQL)(_|$|HOST)", re.I)
_DB_URL = re.compile(r"^(postgres|postgresql|mysql|mariadb|oracle|mssql|sqlserver)(\+[a-z0-9]+)?://", re.I)


def attach(functions: Iterable[Function], records: list[DatabaseVariable]) -> None:
    """Set ``db_endpoints`` of ``functions`` from one document's database records."""
    functions = list(functions)
    for function in functions:
        function.db_endpoints = []
    index = FunctionIndex(functions)
    for record in records:
        function = index.find(record.function)
        why = _why(record)
        if function is not None and why is not None:
            function.db_endpoints.append((record.location, why))


def _why(variable: DatabaseVariable) -> str | None:
    name, value = variable.name, variable.value
    if variable.references_database:
        return f"{name} references an RDS database or proxy"
    if value is not None and ".rds.amazonaws.com" in value:
        return f"{name} points at an RDS endpoint"
    if value is not None and _DB_URL.match(value.strip()):
        return f"{name} is a database URL"
    if variable.in_vpc and _DB_NAME.search(name):
        return f"{name} configures a database for a VPC-attached function"
    return None
