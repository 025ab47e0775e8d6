"""CloudFormation / SAM template loader: YAML or JSON text -> located ``Node`` tree.

PyYAML composes the text (libyaml when available); we turn the composed node graph into
``Node`` values ourselves so every value keeps its source span. Short-form intrinsics
(``!Ref``, ``!GetAtt`` ...) become their long form. Any failure is a ``LoadError``.

Positions are 1-based. ``end_line``/``end_column`` point just past the value (exclusive, as in
SARIF). A value reached through a YAML alias carries the span of its anchor, since the composed
graph does not remember where aliases were written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from .nodes import LoadError, Node

__all__ = ["load_template", "looks_like_template", "is_template", "MAX_NODES", "MAX_ALIAS_NODES", "MAX_DEPTH"]

# Limits. Aliases let a tiny document describe a huge tree (billion laughs), so copies made
# for aliases have their own, tighter budget. The depth limit keeps recursive consumers of the
# tree (Node.plain, rules) well inside Python's default recursion limit.
MAX_NODES = 1_000_000
MAX_ALIAS_NODES = 100_000
MAX_DEPTH = 256

_INTRINSICS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!GetAtt": "Fn::GetAtt",
    **{
        "!" + name: "Fn::" + name
        for name in (
            "Sub", "Join", "Select", "Split", "If", "Equals", "And", "Or", "Not", "FindInMap",
            "GetAZs", "ImportValue", "Base64", "Cidr", "Transform", "ToJsonString", "Length",
            "ForEach",
        )
    },
}

_STD = "tag:yaml.org,2002:"
_STR = _STD + "str"
_MERGE = _STD + "merge"


# --------------------------------------------------------------------------- public API


def load_template(text: str) -> Node:
    """Parse template text (YAML or JSON). Raises only ``LoadError``."""
    try:
        return _load(text)
    except LoadError:
        raise
    except RecursionError:
        raise LoadError(f"nesting is too deep (more than {MAX_DEPTH} levels?)", 1, 1) from None
    except MemoryError:
        raise LoadError("out of memory while parsing the template", 1, 1) from None
    except Exception as exc:  # noqa: BLE001 - the contract is "LoadError or a Node"
        raise LoadError(f"could not parse the template: {type(exc).__name__}: {exc}", 1, 1) from None


_RESOURCES_KEY = re.compile(r"""(?:^|[{,])[ \t]*["']?Resources["']?[ \t]*:""", re.M)
_AWS_TYPE = re.compile(r"""["']?Type["']?[ \t]*:[ \t]*["']?AWS::[A-Za-z0-9]""")


def looks_like_template(text: str) -> bool:
    """Cheap textual guess (no parsing) that ``text`` is a CloudFormation/SAM template."""
    if "AWSTemplateFormatVersion" in text or "AWS::Serverless" in text:
        return True
    return "AWS::" in text and bool(_RESOURCES_KEY.search(text)) and bool(_AWS_TYPE.search(text))


def is_template(root: Node) -> bool:
    """True when a parsed document is a CloudFormation/SAM template."""
    if not isinstance(root, Node) or not isinstance(root.value, dict):
        return False
    top = root.value
    if "AWSTemplateFormatVersion" in top:
        return True
    transform = top.get("Transform")
    if transform is not None:
        items = transform.value if isinstance(transform.value, list) else [transform]
        if any(isinstance(i.value, str) and "AWS::Serverless" in i.value for i in items):
            return True
    resources = top.get("Resources")
    if resources is not None and isinstance(resources.value, dict):
        for res in resources.value.values():
            typ = res.get("Type")
            if typ is not None and isinstance(typ.value, str) and typ.value.startswith("AWS::"):
                return True
    return False


# --------------------------------------------------------------------------- YAML side


class _Kit:
    """PyYAML pieces, imported on first use so linting only Python files never pays for yaml."""

    def __init__(self) -> None:
        import yaml
        from yaml.constructor import SafeConstructor
        from yaml.resolver import Resolver

        self.yaml = yaml
        self.ScalarNode = yaml.ScalarNode
        self.MappingNode = yaml.MappingNode
        self.SequenceNode = yaml.SequenceNode
        self.py_loader = yaml.SafeLoader
        self.c_loader = getattr(yaml, "CSafeLoader", None)
        # libyaml < 0.2.6 has no nesting limit, and PyYAML's C composer then recurses on the C
        # stack: deep input segfaults. Such builds get a depth pre-check (see _pick_loader).
        self.c_limited = False
        if self.c_loader is not None:
            try:
                from yaml import _yaml

                self.c_limited = tuple(_yaml.get_version()) >= (0, 2, 6)
            except Exception:  # noqa: BLE001
                self.c_limited = False
        ctor = SafeConstructor()
        # PyYAML's own scalar rules, so yes/no/on/off, 0x.., 1_000, .inf behave as in PyYAML.
        self.typed = {
            _STD + "int": ctor.construct_yaml_int,
            _STD + "float": ctor.construct_yaml_float,
            _STD + "bool": ctor.construct_yaml_bool,
            _STD + "null": lambda node: None,
        }
        self.resolver = Resolver()


_KIT: _Kit | None = None


def _kit() -> _Kit:
    global _KIT
    if _KIT is None:
        _KIT = _Kit()
    return _KIT


def _pick_loader(kit: _Kit, text: str) -> Any:
    if kit.c_loader is None:
        return kit.py_loader
    if kit.c_limited:
        return kit.c_loader
    # Old libyaml: flow depth <= number of openers; block depth grows with indentation, so it is
    # bounded by about twice the longest line. Only when both are small is the C composer safe.
    bound = text.count("[") + text.count("{") + 2 * max(map(len, text.splitlines()), default=0)
    return kit.c_loader if bound <= 5000 else kit.py_loader


_DEEP_FLOW = re.compile(r"""(?:[\[{][ \t\r\n]*(?:"[^"\n]*"[ \t]*:[ \t\r\n]*)?){%d}""" % (MAX_DEPTH + 1))


def _looks_json(text: str) -> bool:
    return text.lstrip(" \t\r\n").startswith("{")


def _load(text: str) -> Node:
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    json_error: LoadError | None = None
    if _looks_json(text):
        # JSON templates are read as JSON (what CloudFormation does), by a reader several
        # times faster than composing them as YAML; text it rejects still gets a YAML try.
        try:
            return _load_json(text)
        except LoadError as exc:
            json_error = exc
    kit = _kit()
    loader = _pick_loader(kit, text)
    if loader is kit.py_loader:
        # PyYAML's pure-Python scanner is quadratic in flow depth (1000 levels take a second), so
        # refuse an obvious run of openers before it starts. libyaml needs no such help.
        deep = _DEEP_FLOW.search(text)
        if deep is not None:
            line, col = _offset_position(text, deep.start())
            raise LoadError(f"nesting is deeper than {MAX_DEPTH} levels", line, col)
    try:
        root = kit.yaml.compose(text, Loader=loader)
    except (kit.yaml.YAMLError, RecursionError, UnicodeError) as exc:
        yaml_error = _yaml_error(exc, text, loader is kit.c_loader)
        if json_error is not None:
            # When both fail, report the parser that got further; on a tie JSON's message
            # fits JSON-looking text better. Python's recursion limit has no position but
            # "too deep" is the real story.
            further = (json_error.line, json_error.column) >= (yaml_error.line, yaml_error.column)
            if further and not isinstance(exc, RecursionError):
                raise json_error from None
        raise yaml_error from None
    if root is None or (isinstance(root, kit.ScalarNode) and root.value == "" and root.tag == _STD + "null"):
        raise LoadError("empty document", 1, 1)  # nothing, or only "---" and comments
    return _Converter(kit, text).run(root)


def _yaml_error(exc: BaseException, text: str, c_loader: bool) -> LoadError:
    yaml = _kit().yaml
    if isinstance(exc, RecursionError):
        return LoadError(f"nesting is too deep (more than {MAX_DEPTH} levels?)", 1, 1)
    if isinstance(exc, UnicodeEncodeError):
        line, col = _offset_position(text, exc.start)
        return LoadError(f"invalid character U+{ord(text[exc.start]):04X} (unpaired surrogate)", line, col)
    if isinstance(exc, yaml.reader.ReaderError):
        pos = exc.position
        if c_loader:  # libyaml reports a byte offset into the UTF-8 text
            pos = len(text.encode("utf-8", "surrogatepass")[:pos].decode("utf-8", "ignore"))
        line, col = _offset_position(text, pos)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return LoadError(f"{exc.reason} (character #x{char:04X})", line, col)
    if isinstance(exc, yaml.MarkedYAMLError):
        problem, context = exc.problem, exc.context
        mark = exc.problem_mark or exc.context_mark
        cmark = exc.context_mark
        if problem and context:
            if problem.startswith("but ") or problem == "second occurrence":
                reason = f"{context}, {problem}"
            elif cmark is not None:
                reason = f"{problem} ({context} at line {cmark.line + 1}, column {cmark.column + 1})"
            else:
                reason = f"{problem} ({context})"
        else:
            reason = problem or context or "invalid YAML"
        if mark is None:
            return LoadError(reason, 1, 1)
        return LoadError(reason, *_clamp_to_text(text, mark.line + 1, mark.column + 1))
    if isinstance(exc, UnicodeError):
        return LoadError(f"text is not valid Unicode: {exc}", 1, 1)
    return LoadError(f"invalid YAML: {exc}", 1, 1)


_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _clamp_to_text(text: str, line: int, col: int) -> tuple[int, int]:
    """A position on a line the file has: PyYAML marks an error found at end of input on the
    empty line after the final newline, which an editor or a code-scanning UI cannot show."""
    lines = _YAML_BREAKS.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()  # the "line" after the final newline
    last = max(len(lines), 1)
    if line <= last:
        return line, col
    return last, len(lines[last - 1]) + 1 if lines else 1


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    head = text[:offset]
    breaks = list(_YAML_BREAKS.finditer(head))
    if not breaks:
        return 1, offset + 1
    return len(breaks) + 1, offset - breaks[-1].end() + 1


class _Converter:
    """Composed PyYAML graph -> Node tree, iteratively, with node/alias/depth budgets."""

    def __init__(self, kit: _Kit, text: str) -> None:
        self.kit = kit
        self.text = text
        self._lines: list[str] | None = None
        self.count = 0
        self.alias_count = 0
        # id(yaml node) -> [converted Node, subtree size or None while still being filled,
        # count when started]. A second visit of the same yaml node is an alias.
        self.memo: dict[int, list] = {}
        self.flat: dict[int, list] = {}

    # -- main loop

    def run(self, root: Any) -> Node:
        holder: list[Node] = []
        # Items: (ynode, target, key, key_line, key_col, merged, depth); target is a list to
        # append to or a (dict, merged-keys set) pair. A None ynode closes a collection.
        stack: list[tuple] = [(root, holder, None, 0, 0, False, 0)]
        memo = self.memo
        ScalarNode, MappingNode = self.kit.ScalarNode, self.kit.MappingNode
        while stack:
            ynode, target, key, kl, kc, merged, depth = stack.pop()
            if ynode is None:
                target[1] = self.count - target[2]
                continue
            entry = memo.get(id(ynode))
            if entry is not None:
                node = self._alias(entry, ynode, kl, kc, depth)
            elif isinstance(ynode, ScalarNode):
                node = self._scalar_node(ynode)
            else:
                if depth >= MAX_DEPTH:
                    m = ynode.start_mark
                    raise LoadError(f"nesting is deeper than {MAX_DEPTH} levels", m.line + 1, m.column + 1)
                is_map = isinstance(ynode, MappingNode)
                node, inner = self._collection_node(ynode, is_map)
                entry = [node, None, self.count]
                memo[id(ynode)] = entry
                stack.append((None, entry, None, 0, 0, False, 0))
                d = depth + 1
                if is_map:
                    child_target = (inner, set())
                    pairs = self._pairs(ynode, 0)
                    for k, v, was_merged in reversed(pairs):
                        km = k.start_mark
                        stack.append((v, child_target, self._key(k), km.line + 1, km.column + 1, was_merged, d))
                else:
                    for v in reversed(ynode.value):
                        stack.append((v, inner, None, 0, 0, False, d))
            node.key_line, node.key_column = kl, kc
            if target.__class__ is list:
                target.append(node)
            else:
                self._put(target, key, node, merged)
        return holder[0]

    def _put(self, target: tuple, key: str, node: Node, merged: bool) -> None:
        mapping, merged_keys = target
        old = mapping.get(key)
        if old is None:
            mapping[key] = node
            if merged:
                merged_keys.add(key)
        elif key in merged_keys:
            # "<<" merges never clash: later merged entries and explicit keys override them.
            mapping[key] = node
            if not merged:
                merged_keys.discard(key)
        elif not merged:
            raise LoadError(
                f"duplicate key {key!r} (first at line {old.key_line})", node.key_line, node.key_column
            )

    def _bump(self, n: int, line: int, col: int) -> None:
        self.count += n
        if self.count > MAX_NODES:
            raise LoadError(f"template has more than {MAX_NODES} values", line, col)

    # -- node builders

    def _span(self, ynode: Any) -> tuple[int, int, int, int]:
        s = ynode.start_mark
        el, ec = self._end(ynode)
        return s.line + 1, s.column + 1, el + 1, ec + 1

    def _scalar_node(self, ynode: Any) -> Node:
        line, col, el, ec = self._span(ynode)
        tag = ynode.tag
        value = ynode.value if tag == _STR else self._scalar(ynode)
        name = _INTRINSICS.get(tag)
        if name is None:
            node = Node(value, line, col, el, ec)
            n = 1
        elif name == "Fn::GetAtt":
            parts = [Node(p, line, col, el, ec) for p in value.split(".", 1)]
            inner = Node(parts, line, col, el, ec, line, col)
            node = Node({name: inner}, line, col, el, ec)
            n = 2 + len(parts)
        else:
            node = Node({name: Node(value, line, col, el, ec, line, col)}, line, col, el, ec)
            n = 2
        self._bump(n, line, col)
        self.memo[id(ynode)] = [node, n, 0]
        return node

    def _collection_node(self, ynode: Any, is_map: bool) -> tuple[Node, Any]:
        line, col, el, ec = self._span(ynode)
        inner_value: Any = {} if is_map else []
        name = _INTRINSICS.get(ynode.tag)
        if name is None:
            self._bump(1, line, col)
            return Node(inner_value, line, col, el, ec), inner_value
        self._bump(2, line, col)
        inner = Node(inner_value, line, col, el, ec, line, col)
        return Node({name: inner}, line, col, el, ec), inner_value

    def _scalar(self, ynode: Any) -> Any:
        tag = ynode.tag
        if tag in _INTRINSICS:
            return ynode.value  # short-form intrinsic arguments stay text: !Ref 5 -> "5"
        convert = self.kit.typed.get(tag)
        if convert is None:
            if tag.startswith(_STD) or tag.startswith("!!") or ynode.style:
                return ynode.value  # str, timestamp, binary, ... and quoted/block text
            # Unknown custom tag on a plain scalar: resolve it as if it had no tag.
            tag = self.kit.resolver.resolve(self.kit.ScalarNode, ynode.value, (True, False))
            convert = self.kit.typed.get(tag)
            if convert is None:
                return ynode.value
            ynode = self.kit.ScalarNode(tag, ynode.value)
        try:
            return convert(ynode)
        except Exception:  # noqa: BLE001 - e.g. !!int abc, or an int too long for int()
            return ynode.value

    def _key(self, knode: Any) -> str:
        if not isinstance(knode, self.kit.ScalarNode):
            m = knode.start_mark
            raise LoadError("a mapping or a list cannot be used as a key", m.line + 1, m.column + 1)
        if knode.tag == _STR:
            return knode.value
        value = self._scalar(knode)
        # Spell non-string keys the way CloudFormation's JSON would: 1 -> "1", true -> "true".
        if isinstance(value, str):
            return value
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    # -- aliases and merges

    def _alias(self, entry: list, ynode: Any, kl: int, kc: int, depth: int) -> Node:
        m = ynode.start_mark
        line, col = (kl, kc) if kl else (m.line + 1, m.column + 1)
        size = entry[1]
        if size is None:
            raise LoadError("recursive YAML alias: a node contains itself", line, col)
        self.alias_count += size
        if self.alias_count > MAX_ALIAS_NODES:
            raise LoadError(
                f"YAML alias expansion exceeds {MAX_ALIAS_NODES} nodes (billion-laughs style document?)",
                line,
                col,
            )
        self._bump(size, line, col)
        return _copy(entry[0], depth, line, col)

    def _pairs(self, ynode: Any, level: int) -> list:
        """Key/value pairs of a mapping with ``<<`` merge keys expanded like PyYAML's SafeLoader.

        Merged pairs come first and are flagged, so explicit keys override them."""
        for k, _ in ynode.value:
            if k.tag == _MERGE:
                break
        else:
            return [(k, v, False) for k, v in ynode.value]
        cached = self.flat.get(id(ynode))
        if cached is not None:
            return cached
        if level > MAX_DEPTH:
            m = ynode.start_mark
            raise LoadError(f"merge keys nest deeper than {MAX_DEPTH} levels", m.line + 1, m.column + 1)
        self.flat[id(ynode)] = []  # a mapping that merges itself gets nothing more from itself
        explicit = []
        merged: list = []
        for k, v in ynode.value:
            if k.tag != _MERGE:
                explicit.append((k, v, False))
                continue
            if isinstance(v, self.kit.MappingNode):
                sources = [v]
            elif isinstance(v, self.kit.SequenceNode) and all(
                isinstance(s, self.kit.MappingNode) for s in v.value
            ):
                sources = list(reversed(v.value))  # earlier sources win, so they go last
            else:
                m = v.start_mark
                raise LoadError(
                    "a merge key '<<' needs a mapping or a list of mappings", m.line + 1, m.column + 1
                )
            for src in sources:
                for sk, sv, _ in self._pairs(src, level + 1):
                    merged.append((sk, sv, True))
        if merged:
            self.alias_count += len(merged)
            if self.alias_count > MAX_ALIAS_NODES:
                m = ynode.start_mark
                raise LoadError(f"YAML merge expansion exceeds {MAX_ALIAS_NODES} nodes", m.line + 1, m.column + 1)
            merged.extend(explicit)
            explicit = merged
        self.flat[id(ynode)] = explicit
        return explicit

    # -- end positions

    def _end(self, ynode: Any) -> tuple[int, int]:
        """0-based exclusive end. Block collections end where their last value ends: libyaml
        puts their end at the next token, past trailing blank lines and comments."""
        n = ynode
        ScalarNode, MappingNode = self.kit.ScalarNode, self.kit.MappingNode
        while not isinstance(n, ScalarNode) and not n.flow_style and n.value:
            # An alias shares its anchor's node, which ends before the alias is written: a
            # value ending before its key, or an item ending before its predecessor.
            if isinstance(n, MappingNode):
                key, child = n.value[-1]
                floor = key.end_mark
            else:
                child = n.value[-1]
                floor = n.value[-2].end_mark if len(n.value) > 1 else n.start_mark
            end = child.end_mark
            if (end.line, end.column) <= (floor.line, floor.column) or _before(end, n.start_mark):
                # Fall back on the collection's own end, stepping back over blank and comment
                # lines (libyaml puts it at the next token).
                m = n.end_mark
                return self._trim(m.line, m.column, n.start_mark.line, comments=True)
            n = child
        m = n.end_mark
        if m.line > n.start_mark.line:
            return self._trim(m.line, m.column, n.start_mark.line, comments=False)
        return m.line, m.column

    def _trim(self, line: int, col: int, floor: int, comments: bool) -> tuple[int, int]:
        if line <= floor:
            return line, col
        if self._lines is None:
            self._lines = _YAML_BREAKS.split(self.text)
        lines = self._lines
        if line < len(lines) and lines[line][:col].strip():
            return line, col  # real content before the mark: it is a true end
        prev = line - 1
        while prev > floor:
            stripped = lines[prev].strip()
            if stripped and not (comments and stripped.startswith("#")):
                break
            prev -= 1
        return prev, len(lines[prev].rstrip())


def _before(a: Any, b: Any) -> bool:
    return (a.line, a.column) <= (b.line, b.column)


def _copy(src: Node, depth: int, line: int, col: int) -> Node:
    """Deep copy of a converted subtree (for an alias), checking the depth it lands at."""
    top = Node(src.value, src.line, src.column, src.end_line, src.end_column, src.key_line, src.key_column)
    stack = [(top, depth)]
    while stack:
        node, d = stack.pop()
        value = node.value
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        if d >= MAX_DEPTH:
            raise LoadError(f"nesting is deeper than {MAX_DEPTH} levels", line, col)
        fresh: Any = {} if isinstance(value, dict) else [None] * len(value)
        for k, c in items:
            cc = Node(c.value, c.line, c.column, c.end_line, c.end_column, c.key_line, c.key_column)
            fresh[k] = cc
            stack.append((cc, d + 1))
        node.value = fresh
    return top


# --------------------------------------------------------------------------- JSON fallback

_JSON_WS = re.compile(r"[ \t\n\r]*")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_JSON_LINES = re.compile(r"\r\n|\r|\n")
_JSON_WORDS = (
    ("true", True),
    ("false", False),
    ("null", None),
    ("NaN", float("nan")),
    ("Infinity", float("inf")),
    ("-Infinity", float("-inf")),
)


def _load_json(text: str) -> Node:
    """Strict JSON with positions (tried first for text that starts with ``{``)."""
    from json import JSONDecodeError
    from json.decoder import scanstring

    starts = [0]
    starts.extend(m.end() for m in _JSON_LINES.finditer(text))

    def at(i: int) -> tuple[int, int]:
        row = bisect_right(starts, i) - 1
        return row + 1, i - starts[row] + 1

    def fail(msg: str, i: int) -> LoadError:
        return LoadError(msg, *at(min(i, len(text))))

    ws = _JSON_WS.match
    n = len(text)

    def read_string(i: int) -> tuple[str, int]:
        try:
            return scanstring(text, i + 1, True)
        except JSONDecodeError as exc:
            raise fail(exc.msg, exc.pos) from None

    def read_key(frame: list, i: int) -> int:
        if i >= n or text[i] != '"':
            raise fail("Expecting property name enclosed in double quotes", i)
        frame[2], j = read_string(i)
        frame[3], frame[4] = at(i)
        j = ws(text, j).end()
        if j >= n or text[j] != ":":
            raise fail("Expecting ':' delimiter", j)
        return ws(text, j + 1).end()

    root: Node | None = None
    stack: list[list] = []  # [node, closer, key, key_line, key_col]

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        parent = frame[0].value
        if isinstance(parent, list):
            parent.append(node)
            return
        key = frame[2]
        node.key_line, node.key_column = frame[3], frame[4]
        old = parent.get(key)
        if old is not None:
            raise LoadError(f"duplicate key {key!r} (first at line {old.key_line})", frame[3], frame[4])
        parent[key] = node

    i = ws(text, 0).end()
    while True:
        if i >= n:
            raise fail("Expecting value", i)
        c = text[i]
        line, col = at(i)
        if c == "{" or c == "[":
            if len(stack) >= MAX_DEPTH:
                raise fail(f"nesting is deeper than {MAX_DEPTH} levels", i)
            closer = "}" if c == "{" else "]"
            node = Node({} if c == "{" else [], line, col, 0, 0)
            attach(node)
            i = ws(text, i + 1).end()
            if i < n and text[i] == closer:
                node.end_line, node.end_column = at(i + 1)
                i += 1
            else:
                frame = [node, closer, None, 0, 0]
                stack.append(frame)
                if c == "{":
                    i = read_key(frame, i)
                continue
        else:
            if c == '"':
                value, j = read_string(i)
            else:
                for word, word_value in _JSON_WORDS:
                    if text.startswith(word, i):
                        value, j = word_value, i + len(word)
                        break
                else:
                    m = _JSON_NUMBER.match(text, i)
                    if m is None:
                        raise fail("Expecting value", i)
                    j = m.end()
                    value = float(m.group()) if m.group(1) or m.group(2) else int(m.group())
            attach(Node(value, line, col, *at(j)))
            i = j
        # After a value: commas and closers until the next value is due.
        while True:
            i = ws(text, i).end()
            if not stack:
                if i < n:
                    raise fail("Extra data", i)
                assert root is not None
                return root
            frame = stack[-1]
            if i < n and text[i] == ",":
                i = ws(text, i + 1).end()
                if frame[1] == "}":
                    i = read_key(frame, i)
                break
            if i < n and text[i] == frame[1]:
                frame[0].end_line, frame[0].end_column = at(i + 1)
                stack.pop()
                i += 1
                continue
            raise fail("Expecting ',' delimiter", i)
