"""Serverless Framework service files (``serverless.yml`` / ``.yaml`` / ``.json``) as located
node trees, through the same positioned YAML/JSON loader as templates (so the same limits on
aliases, nesting and size apply)."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import ParseFailure
from ..suppress_comments import InlineSuppression, scan
from .nodes import LoadError, Node
from .source import binary_failure, decode, read_bytes

SERVICE_FILE_NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")
MAX_DATA_FILE_BYTES = 2_000_000  # a ${file(...)} source bigger than this is not read (unknown)
# a service file names at least one of these at its top level
SERVICE_KEYS = ("service", "provider", "functions")


@dataclass
class ServerlessDocument:
    path: str
    root: Node
    suppressions: tuple[InlineSuppression, ...]


def parse_serverless(path: str, rel: str) -> tuple[ServerlessDocument | None, ParseFailure | None]:
    """Parse a service file. Its name says what it is, so anything unreadable is a failure."""
    from .cfn_yaml import load_template

    data, failure = read_bytes(path, rel)
    if failure:
        return None, failure
    failure = binary_failure(data, rel) or None
    if failure:
        return None, failure
    text, failure = decode(data, rel)
    if failure:
        return None, failure
    try:
        root = load_template(text)
    except LoadError as exc:
        return None, ParseFailure(rel, exc.line, exc.column, exc.reason)
    if root.value is None:
        return None, None  # an empty file: nothing to check
    if not isinstance(root.value, dict) or not any(key in root.value for key in SERVICE_KEYS):
        return None, ParseFailure(rel, root.line, root.column, "a Serverless Framework service file must be a mapping with service, provider and functions")
    functions = root.value.get("functions")
    if functions is not None and not isinstance(functions.value, (dict, list, str)) and functions.value is not None:
        line, column = functions.key_line or functions.line, functions.key_column or functions.column
        return None, ParseFailure(rel, line, column, "functions must be a mapping of function names to their settings")
    return ServerlessDocument(rel, root, scan(text)), None


def load_data_file(path: str) -> Node | None:
    """A file a ``${file(...)}`` variable names, read as data (YAML or JSON), or None when it
    cannot be read. Never executed."""
    import os

    from .cfn_yaml import load_template

    try:
        if os.path.getsize(path) > MAX_DATA_FILE_BYTES:
            return None  # checked before reading: a data file may be any size
    except OSError:
        return None
    data, failure = read_bytes(path, path)
    if failure or binary_failure(data, path) or len(data) > MAX_DATA_FILE_BYTES:
        return None
    text, failure = decode(data, path)
    if failure:
        return None
    try:
        return load_template(text)
    except LoadError:
        return None
