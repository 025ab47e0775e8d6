"""lambdalint's template rules as cfn-lint rules.

    pip install 'lambdalint[cfn-lint]'
    cfn-lint template.yaml --append-rules lambdalint.integrations.cfnlint

cfn-lint 1.x treats an ``--append-rules`` value that is not a directory as a module name:
``Rules.create_from_module`` imports it and instantiates every ``CloudFormationLintRule``
subclass it finds in the module (``cfnlint.helpers.create_rules``). This module defines one
such class per lambdalint rule (``LL201`` -> ``E9201``; see :func:`cfnlint_id`).

For each template cfn-lint checks, lambdalint's own engine runs once, exactly as
``lambdalint check <template's directory>`` would (same configuration file, inline
suppressions and linked handler code), and every finding located in that template becomes a
cfn-lint match at the same line and column. Findings located elsewhere (in handler code) are
left to ``lambdalint check``.

This module is only ever imported by cfn-lint; lambdalint never imports it (nor cfn-lint).
Imports are absolute so the directory form of ``--append-rules`` can load the file too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from lambdalint.rules.registry import load_rules

__all__ = ["cfnlint_id", "template_path", "BRIDGED"]

#: lambdalint level -> cfn-lint severity letter (cfn-lint derives severity from the ID's letter)
SEVERITY = {"error": "E", "warning": "W", "note": "I"}
#: Not bridged: LL001 (parse error), since cfn-lint reports unparseable templates itself
#: (E0000), and the LL1xx family (handler code), whose findings are in Python files.
EXCLUDED = frozenset({"LL001"})
_LL_ID = re.compile(r"LL(\d{3})")


def cfnlint_id(rule_id: str, level: str) -> str | None:
    """``LL201`` at level error -> ``E9201``; ``W9xxx`` for warnings, ``I9xxx`` for notes.
    The level is the rule's default level, so the ID is stable. None for rules that are not
    bridged: IDs not of the ``LLddd`` form (third-party rule packs), LL1xx, LL001."""
    m = _LL_ID.fullmatch(rule_id)
    if m is None or rule_id in EXCLUDED or m.group(1).startswith("1") or level not in SEVERITY:
        return None
    return f"{SEVERITY[level]}9{m.group(1)}"


# --------------------------------------------------------------------------- template paths


def template_path(root: Any, line: int, column: int = 0) -> list:
    """The path (``["Resources", "Orders", "Properties", "MemorySize"]``) to the deepest
    node of a located template tree (``lambdalint.documents.nodes.Node``) whose key is on
    ``line`` (a sequence item counts when it starts there); the key at ``column`` wins a tie.
    Failing that, the deepest node whose span contains the line; ``[]`` when nothing does."""
    best: tuple[tuple, list] | None = None
    enclosing: list = []

    def walk(node: Any, path: list, key_line: int, key_column: int) -> None:
        nonlocal best, enclosing
        if key_line == line:
            rank = (len(path), key_column == column)
            if best is None or rank > best[0]:
                best = (rank, list(path))
        if node.line <= line <= max(node.end_line, node.line) and len(path) >= len(enclosing):
            enclosing = list(path)
        value = node.value
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, [*path, key], child.key_line, child.key_column)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, [*path, index], child.line, child.column)

    walk(root, [], 0, 0)
    return best[1] if best is not None else enclosing


# --------------------------------------------------------------------------- one engine run per template


class _Run:
    """lambdalint's results for one cfn-lint template: matches by lambdalint rule ID."""

    def __init__(self, cfn: Any) -> None:
        self.cfn = cfn  # held so the identity check below cannot be fooled by a reused id()
        self.matches: dict[str, list[RuleMatch]] = {}
        self.error: str | None = None
        self.error_reported = False
        self.rule_errors: dict[str, str] = {}
        filename = getattr(cfn, "filename", None)
        if not filename or not os.path.isfile(filename):
            return  # a template read from standard input: there is no project around it
        try:
            self._compute(filename)
        except Exception as exc:  # reported once through cfn-lint's rule-error match (E0002)
            self.error = f"lambdalint: {type(exc).__name__}: {exc}"

    def _compute(self, filename: str) -> None:
        from lambdalint.config import find_config, load_settings
        from lambdalint.documents.cfn_yaml import load_template
        from lambdalint.documents.nodes import LoadError
        from lambdalint.engine import run, select_rules

        rules = _rules()
        directory = os.path.dirname(os.path.abspath(filename))
        settings = load_settings(find_config(Path(directory)), rules)
        # every rule unless the configuration selects: cfn-lint's own --include-checks and
        # --ignore-checks decide what it shows (informational rules only on request)
        enabled = select_rules(settings, rules, () if settings.select else ("ALL",))
        result = run([directory], settings, rules, enabled)
        for message in result.rule_errors:
            self.rule_errors[message.split(" ", 1)[0]] = message

        target = os.path.realpath(filename)
        mine = [
            f
            for f in result.findings
            if f.rule_id in BRIDGED and os.path.realpath(os.path.join(result.root, f.location.path)) == target
        ]
        if not mine:
            return
        try:
            with open(filename, encoding="utf-8-sig") as handle:
                tree = load_template(handle.read())
        except (OSError, UnicodeDecodeError, LoadError):
            tree = None
        for f in mine:
            rule = rules[f.rule_id]
            loc = f.location
            path = template_path(tree, loc.line, loc.column) if tree is not None else []
            end_line, end_column = loc.end_line, loc.end_column
            if end_line is None or end_column is None:
                key = path[-1] if path and isinstance(path[-1], str) else ""
                end_line, end_column = loc.line, loc.column + len(key)
            match = RuleMatch(
                path,
                f"[{rule.id} {rule.name}] {f.message}",
                # 0-based (line, column, end line, end column): cfn-lint uses this instead of
                # resolving the path, so the position is lambdalint's whatever cfn-lint's
                # transforms do to the template
                location=(loc.line - 1, loc.column - 1, end_line - 1, end_column - 1),
            )
            self.matches.setdefault(f.rule_id, []).append(match)


_LAST: _Run | None = None


def _results(cfn: Any) -> _Run:
    global _LAST
    if _LAST is None or _LAST.cfn is not cfn:
        _LAST = _Run(cfn)
    return _LAST


_RULES: dict | None = None


def _rules() -> dict:
    global _RULES
    if _RULES is None:
        _RULES = load_rules()
    return _RULES


# --------------------------------------------------------------------------- the rule classes


class _Bridge:
    """Behaviour shared by the generated rule classes. Not a CloudFormationLintRule itself,
    so cfn-lint does not instantiate it."""

    lambdalint_id = ""

    def match(self, cfn: Any) -> list:
        run = _results(cfn)
        if run.error is not None:
            if run.error_reported:
                return []
            run.error_reported = True
            raise RuntimeError(run.error)
        if self.lambdalint_id in run.rule_errors:
            raise RuntimeError(run.rule_errors[self.lambdalint_id])
        return list(run.matches.get(self.lambdalint_id, []))


def _class_name(rule) -> str:
    return rule.id + "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", rule.name) if part)


#: lambdalint rule ID -> cfn-lint rule ID, for every bridged rule
BRIDGED: dict[str, str] = {}

for _rule in _rules().values():
    _id = cfnlint_id(_rule.id, _rule.level)
    if _id is None:
        continue
    BRIDGED[_rule.id] = _id
    globals()[_class_name(_rule)] = type(
        _class_name(_rule),
        (_Bridge, CloudFormationLintRule),
        {
            "__module__": __name__,
            "__doc__": f"lambdalint {_rule.id} {_rule.name}: {_rule.summary}",
            "id": _id,
            "shortdesc": f"lambdalint {_rule.id} {_rule.name}",
            "description": f"{_rule.summary} (lambdalint rule {_rule.id} {_rule.name}; run `lambdalint explain {_rule.id}`)",
            "source_url": _rule.help_uri,
            "tags": ["lambdalint", *_rule.tags],
            "lambdalint_id": _rule.id,
        },
    )
del _rule, _id
