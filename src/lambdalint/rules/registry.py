"""Find rules: the built-in set plus any rule pack registered under the ``lambdalint.rules``
entry-point group (an entry point names a Rule or a list of Rules)."""

from __future__ import annotations

from .base import Rule

GROUP = "lambdalint.rules"


def load_rules() -> dict[str, Rule]:
    from importlib.metadata import entry_points

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
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.value, e.name)):
        if ep.value == "lambdalint.rules.builtin:RULES":
            continue
        loaded = ep.load()
        for rule in loaded if isinstance(loaded, (list, tuple)) else [loaded]:
            add(rule, ep.value)
    return dict(sorted(rules.items()))


def find_rule(rules: dict[str, Rule], code: str) -> Rule | None:
    code = code.strip()
    for rule in rules.values():
        if code.upper() == rule.id or code == rule.name:
            return rule
    return None
