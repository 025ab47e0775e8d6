"""Values of a Serverless Framework service file: its ``${...}`` variables, resolved as far as the
file (and the data files it names) fix them, without deploying and without running anything.

Resolved: ``${self:a.b.c}`` (nested paths, values that are themselves variables), ``${sls:stage}``
and ``${opt:stage, 'dev'}`` (the stage: ``provider.stage``, else the fallback, else ``dev``),
``${opt:x, fallback}`` / ``${env:X, fallback}`` (the fallback: the command line and the
environment are not the scanned project's), ``${file(./x.yml):a.b}`` (a local YAML / JSON file
read as data) and variables nested in an address (``${self:custom.${sls:stage}.memory}``).

Unknown, never a reason to fire: ``ssm``, ``aws``, ``cf``, ``param``, ``s3``, ``.js`` / ``.ts``
file sources (they would have to run), plugin sources, a missing file or key, cycles.

The result is the service tree with every variable replaced (:meth:`Service.resolved`): the same
``Node``s with their positions, where a variable that cannot be resolved becomes an
``{"Fn::Serverless <text>": null}`` node, which the CloudFormation resolver reads as unknown.
"""

from __future__ import annotations

import os
import posixpath
import re
from typing import Any, Callable

from ...documents.nodes import Node
from ...documents.serverless import ServerlessDocument
from ..values import MAX_TEXT

UNRESOLVED = "Fn::Serverless"  # the key of a node standing for a variable nothing here resolves
MAX_DEPTH = 12  # variables inside variables inside ...: a hostile file must end
MAX_NODES = 200_000  # nodes one service may expand to (a map referenced many times multiplies)
_STAGE_DEFAULT = "dev"


class Unresolved(Exception):
    """A variable nothing in the project fixes; ``text`` is how it is written."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def unresolved_node(text: str, at: Node) -> Node:
    """A value nothing here resolves: a one-key map whose key (``Fn::Serverless ${ssm:/x}``) the
    CloudFormation resolver reads as an unknown intrinsic, naming the variable as its source."""
    key = f"{UNRESOLVED} {text[:200]}"
    return Node({key: Node(None, at.line, at.column, at.end_line, at.end_column)}, at.line, at.column, at.end_line, at.end_column, at.key_line, at.key_column)


def is_unresolved(node: Node | None) -> bool:
    return node is not None and node.is_map and len(node.value) == 1 and next(iter(node.value)).startswith(UNRESOLVED)


class Service:
    """A parsed service file plus variable resolution. ``read_file(rel)`` gives the data of a
    ``${file(...)}`` source (path relative to the scan root), or None."""

    def __init__(self, doc: ServerlessDocument, read_file: Callable[[str], Node | None] | None = None):
        self.doc = doc
        self.path = doc.path
        self.dir = posixpath.dirname(doc.path)
        self.raw = doc.root
        read = read_file or (lambda rel: None)
        self._read_file = lambda rel: _foreign(read(rel))
        self._files: dict[str, Node | None] = {}
        self._resolving: set[str] = set()
        self._cache: dict[str, Node] = {}
        self._nodes = 0
        self._copies = [MAX_NODES]  # nodes that copies of maps and lists may still make
        self._root: Node | None = None

    # ------------------------------------------------------------------ the whole tree
    def resolved(self) -> Node:
        """The service with its variables resolved (computed once)."""
        if self._root is None:
            self._root = self._node(self.raw, 0)
        return self._root

    def _node(self, node: Node, depth: int) -> Node:
        self._nodes += 1
        if self._nodes > MAX_NODES or depth > 64:
            return unresolved_node("(too large to resolve)", node)
        value = node.value
        if isinstance(value, dict):
            if is_unresolved(node):
                return node
            return _like(node, {k: self._node(v, depth + 1) for k, v in value.items()})
        if isinstance(value, list):
            return _like(node, [self._node(v, depth + 1) for v in value])
        if isinstance(value, str) and "${" in value:
            return self._string(value, node, depth)
        return node

    def _string(self, text: str, at: Node, depth: int) -> Node:
        try:
            result = self.interpolate(text, depth)
        except Unresolved as exc:
            return unresolved_node(exc.text, at)
        if isinstance(result, Node):
            # each use of a map or list is a copy, and copies have a budget of their own (a
            # 50,000-item list named by 400 keys would otherwise be 20 million nodes); past it a
            # use is unknown, while the rest of the service is still read
            try:
                placed = _place(result, at, {}, self._copies)
            except Unresolved as exc:
                return unresolved_node(exc.text, at)
            return _like(at, placed.value)
        return _like(at, result)

    # ------------------------------------------------------------------ variables
    def interpolate(self, text: str, depth: int = 0) -> Any:
        """``text`` with its variables replaced: a whole-string variable keeps its type (a
        number, a map as a ``Node``), text around variables makes a string. Raises
        :class:`Unresolved`."""
        if depth > MAX_DEPTH:
            raise Unresolved(text)
        spans = _variables(text)
        if not spans:
            return text
        if len(spans) == 1 and spans[0] == (0, len(text)):
            return self.variable(text[2:-1], depth + 1)
        out, pos = [], 0
        for start, end in spans:
            out.append(text[pos:start])
            value = self.variable(text[start + 2:end - 1], depth + 1)
            if isinstance(value, Node):
                value = value.value
            if isinstance(value, (dict, list)) or value is None:
                raise Unresolved(text)
            out.append(_text(value))
            pos = end
        out.append(text[pos:])
        result = "".join(out)
        if len(result) > MAX_TEXT:
            raise Unresolved(text[:200])
        return result

    def variable(self, inner: str, depth: int) -> Any:
        """The value of one ``${inner}``: its source, else its first fallback that resolves."""
        parts = _split_top(inner, ",")
        address, fallbacks = parts[0].strip(), [p.strip() for p in parts[1:]]
        try:
            value = self._source(address, depth)
            if value is not None and not (isinstance(value, Node) and value.value is None):
                return value
        except Unresolved:
            if not self._falls_back(address):
                raise
        for fallback in fallbacks:
            try:
                value = self._fallback(fallback, depth)
            except Unresolved:
                continue
            if value is not None:
                return value
        raise Unresolved("${" + inner + "}")

    @staticmethod
    def _falls_back(address: str) -> bool:
        """Whether a fallback stands in when this source gives nothing *here*: the command line
        and the environment are not part of the project; ``self`` / ``file`` keys may be
        missing. A deploy-time source (ssm, cf...) has a value we cannot see: unknown."""
        source = address.split(":", 1)[0].strip()
        return source in ("opt", "env", "self", "sls") or source.startswith("file(")

    def _fallback(self, text: str, depth: int) -> Any:
        if "${" in text:
            return self.interpolate(text, depth + 1)
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            return text[1:-1]
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        if re.fullmatch(r"-?\d+\.\d+", text):
            return float(text)
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if re.match(r"(self|opt|env|sls|file\()", text):  # v2 wrote fallback addresses bare
            return self.variable(text, depth + 1)
        return text

    def _source(self, address: str, depth: int) -> Any:
        if "${" in address:
            resolved = self.interpolate(address, depth + 1)
            if not isinstance(resolved, str):
                raise Unresolved(address)
            address = resolved
        if address.startswith("file(") or address.startswith("file ("):
            return self._file(address, depth)
        source, _, rest = address.partition(":")
        source = source.strip()
        rest = rest.strip()
        if source == "self":
            return self._self(rest, depth)
        if source == "sls" and rest == "stage" or source == "opt" and rest == "stage":
            if source == "opt":
                return None  # the fallback, or (none given) the stage below
            return self._stage(depth)
        if source in ("opt", "env"):
            return None  # not the project's: its fallback applies
        raise Unresolved("${" + address + "}")

    def _stage(self, depth: int) -> Any:
        stage = self.raw.get("provider")
        stage = stage.get("stage") if stage is not None else None
        if stage is None:
            return _STAGE_DEFAULT
        if isinstance(stage.value, str) and "${" in stage.value:
            return self._guarded("provider.stage", lambda: self.interpolate(stage.value, depth + 1))
        return stage.value

    def _self(self, path: str, depth: int) -> Any:
        if not path:
            return self.raw
        return self._guarded("self:" + path, lambda: self._lookup(self.raw, path, depth, "self:"))

    def _lookup(self, root: Node, path: str, depth: int, label: str) -> Any:
        node = root
        for part in path.split("."):
            if node is None:
                return None
            if isinstance(node.value, list) and part.isdigit():
                index = int(part)
                node = node.value[index] if index < len(node.value) else None
                continue
            if isinstance(node.value, str) and "${" in node.value:
                node = self._as_node(self.interpolate(node.value, depth + 1), node)
            node = node.get(part) if node is not None and node.is_map else None
        if node is None:
            return None
        if isinstance(node.value, str) and "${" in node.value:
            return self._guarded(label + path + "#value", lambda: self.interpolate(node.value, depth + 1))
        if isinstance(node.value, (dict, list)):
            return self._node(node, depth + 1)
        return node.value

    def _file(self, address: str, depth: int) -> Any:
        m = re.fullmatch(r"file\s*\(\s*([^)]*?)\s*\)\s*(?::\s*(.*))?", address)
        if not m:
            raise Unresolved("${" + address + "}")
        name, path = m.group(1).strip("'\" "), (m.group(2) or "").strip()
        if name.endswith((".js", ".ts", ".cjs", ".mjs")) or not name or os.path.isabs(name):
            raise Unresolved("${" + address + "}")  # a program: never run
        rel = posixpath.normpath(posixpath.join(self.dir, name)) if self.dir else posixpath.normpath(name)
        if rel == ".." or rel.startswith("../"):
            raise Unresolved("${" + address + "}")
        if rel not in self._files:
            self._files[rel] = self._read_file(rel)
        data = self._files[rel]
        if data is None:
            raise Unresolved("${" + address + "}")
        if not path:
            return self._node(data, depth + 1) if isinstance(data.value, (dict, list)) else data.value
        # a file's own ${self:...} mean the service's; its plain values are read as they are
        return self._guarded(f"file:{rel}:{path}", lambda: self._lookup(data, path, depth, f"file:{rel}:"))

    def _guarded(self, key: str, compute: Callable[[], Any]) -> Any:
        """One address resolved once; an address met again while it is being resolved is a cycle."""
        if key in self._cache:
            return self._cache[key]
        if key in self._resolving or len(self._resolving) > 64:
            raise Unresolved("${" + key + "} (refers to itself)")
        self._resolving.add(key)
        try:
            value = compute()
        finally:
            self._resolving.discard(key)
        self._cache[key] = value
        return value

    @staticmethod
    def _as_node(value: Any, at: Node) -> Node:
        return value if isinstance(value, Node) else _like(at, value)


FOREIGN = -1  # the line of a node read from a ${file(...)} source: it has no place in serverless.yml


def _foreign(node: Node | None, depth: int = 0) -> Node | None:
    """A data file's tree with its positions dropped: findings about its values are reported where
    the service file uses them (a line of another file would point into the wrong file)."""
    if node is None or depth > 64:
        return None if node is None else Node(None, FOREIGN, 1, FOREIGN, 1)
    value = node.value
    if isinstance(value, dict):
        value = {k: _foreign(v, depth + 1) for k, v in value.items()}
    elif isinstance(value, list):
        value = [_foreign(v, depth + 1) for v in value]
    return Node(value, FOREIGN, 1, FOREIGN, 1, FOREIGN if node.key_line else 0, 1)


def _place(node: Node, at: Node, seen: dict, budget: list[int]) -> Node:
    """``node`` with every part read from a data file placed at ``at`` (where it is used);
    ``budget[0]`` is how many more nodes may be made (:class:`Unresolved` past it)."""
    done = seen.get(id(node))
    if done is not None:
        return done
    budget[0] -= 1
    if budget[0] < 0:
        raise Unresolved("(too large to resolve)")
    value = node.value
    if isinstance(value, dict):
        value = {k: _place(v, at, seen, budget) for k, v in value.items()}
    elif isinstance(value, list):
        value = [_place(v, at, seen, budget) for v in value]
    if node.line == FOREIGN:
        key = at.key_line or at.line
        placed = Node(value, at.line, at.column, at.end_line, at.end_column, key if node.key_line else 0, at.key_column or at.column if node.key_line else 0)
    else:
        placed = Node(value, node.line, node.column, node.end_line, node.end_column, node.key_line, node.key_column)
    seen[id(node)] = placed
    return placed


def _like(at: Node, value: Any) -> Node:
    """A node holding ``value`` at ``at``'s place (a variable's value is reported where it is used)."""
    return Node(value, at.line, at.column, at.end_line, at.end_column, at.key_line, at.key_column)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _variables(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each top-level ``${...}`` in ``text`` (nested ones belong to theirs)."""
    spans, i, n = [], 0, len(text)
    while i < n:
        start = text.find("${", i)
        if start < 0:
            break
        level, j = 0, start
        while j < n:
            if text.startswith("${", j):
                level += 1
                j += 2
                continue
            if text[j] == "}":
                level -= 1
                if level == 0:
                    break
            j += 1
        if j >= n:
            break  # unclosed: plain text, as the Framework leaves it
        spans.append((start, j + 1))
        i = j + 1
    return spans


def _split_top(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside ``${...}``, parentheses and quotes."""
    parts, level, quote, current = [], 0, "", []
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "{(":
            level += 1
        elif ch in "})":
            level -= 1
        elif ch == sep and level == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts
