"""Find rules: the built-in set plus any rule pack registered under the ``lambdalint.rules``
entry-point group (an entry point names a Rule or a list of Rules)."""

from __future__ import annotations

from .base import Rule

GROUP = "lambdalint.rules"


def load_rules() -> dict[str, Rule]:
    from .builtin import RULES

    rules: dict[str, Rule] = {}
    names: dict[str, str] = {}

    def add(rule: Rule, origin: str) -> None:
        if rule.id in rules and rules[rule.id] is not rule:
            raise RuntimeError(f"rule ID {rule.id} from {origin} is already taken by {rules[rule.id].name}")
        if names.get(rule.name, rule.id) != rule.id:
            raise RuntimeError(f"rule name {rule.name} from {origin} is already taken by {names[rule.name]}")
        rules[rule.id] = rule
        names[rule.name] = rule.id

    for rule in RULES:  # always present, even when running from a source checkout
        add(rule, "lambdalint")
    for value in plugin_entry_points(GROUP):
        if value == "lambdalint.rules.builtin:RULES":
            continue
        loaded = _load(value)
        for rule in loaded if isinstance(loaded, (list, tuple)) else [loaded]:
            add(rule, value)
    return dict(sorted(rules.items()))


def plugin_entry_points(group: str) -> list[str]:
    """``module:attr`` values registered under ``group`` by installed distributions.

    Reads ``entry_points.txt`` of the distributions on sys.path directly: importing
    importlib.metadata costs more (tens of ms) than every other start-up step, and a pre-commit
    hook pays it on every commit. Same data, same files.
    """
    import os
    import sys

    header = f"[{group}]"
    seen: set[str] = set()
    values: set[str] = set()
    for base in sys.path:
        try:
            names = sorted(os.listdir(base or "."))
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            distribution = name.rsplit("-", 1)[0] if name.endswith(".dist-info") else name[: -len(".egg-info")]
            if distribution in seen:
                continue  # the first one on sys.path wins, as for imports
            seen.add(distribution)
            try:
                with open(os.path.join(base or ".", name, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except OSError:
                continue
            if header not in text:
                continue
            section = False
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("["):
                    section = line == header
                elif section and "=" in line and not line.startswith(("#", ";")):
                    values.add(line.split("=", 1)[1].split("[", 1)[0].strip())
    return sorted(values)


def _load(value: str):
    import importlib

    module_name, _, attrs = value.partition(":")
    obj = importlib.import_module(module_name.strip())
    for attr in filter(None, attrs.strip().split(".")):
        obj = getattr(obj, attr)
    return obj


def find_rule(rules: dict[str, Rule], code: str) -> Rule | None:
    code = code.strip()
    for rule in rules.values():
        if code.upper() == rule.id or code == rule.name:
            return rule
    return None
