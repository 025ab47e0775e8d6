"""What a rule is, and what a rule's check receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..findings import Finding, Location, Related
from .example_docs import fill_examples, unmarked  # noqa: F401 (unmarked: for rule modules)

DOCS_BASE_URL = "https://github.com/lambdalint/lambdalint/blob/main/rules/"


@dataclass(frozen=True)
class Example:
    """A small project: relative path -> file content."""

    files: dict[str, str]
    title: str = ""
    # for fixable rules: the files after `check --fix` (only those that change), and whether the
    # fix is unsafe (then the test applies it with --unsafe-fixes) or display-only (never applied:
    # the test applies the edits the JSON report shows)
    fixed: dict[str, str] | None = None
    unsafe_fix: bool = False
    display_only_fix: bool = False
    # shown in the rule docs ("Example" for must-fire, "Use instead" for must-not-fire); when no
    # example of a kind is marked, the first one is shown
    docs: bool = False


def python(source: str, title: str = "", fixed: str | None = None, unsafe_fix: bool = False, docs: bool = False) -> Example:
    return Example({"app.py": source}, title, None if fixed is None else {"app.py": fixed}, unsafe_fix, docs=docs)


def sam(template: str, title: str = "", docs: bool = False, **files: str) -> Example:
    out = {"template.yaml": template}
    out.update({k.replace("__", "/").replace("_py", ".py"): v for k, v in files.items()})
    return Example(out, title, docs=docs)


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    description: str
    choices: tuple = ()
    pattern: str = ""  # a regular expression a string value must match in full (e.g. a date)


@dataclass(frozen=True)
class Rule:
    id: str  # "LL101": public contract, never renumbered
    name: str  # "client-in-handler": stable kebab-case alias
    level: str  # default level: error | warning | note
    summary: str  # one line (SARIF shortDescription)
    docs: str  # Markdown with ruff-style sections; its example markers are filled from the examples
    check: Callable[["RuleContext"], Iterable[Finding]] | None
    must_fire: tuple[Example, ...] = ()
    must_not_fire: tuple[Example, ...] = ()
    tags: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    # SARIF security metadata (code scanning severity), for security rules only
    security_severity: float | None = None
    # In the recommended set that runs without --select (pull-request checks)? Rules whose right
    # answer depends on the organisation are off by default and run on request (audit sweeps).
    default: bool = True
    default_reason: str = ""  # one line: why the rule is (or is not) in the default set

    def __post_init__(self):
        # the docs show the tested examples, never a hand-written copy that could drift from them
        object.__setattr__(self, "docs", fill_examples(self.docs, self.must_fire, self.must_not_fire))

    @property
    def help_uri(self) -> str:
        return f"{DOCS_BASE_URL}{self.id}-{self.name}.md"

    @property
    def family(self) -> str:
        return {"0": "tool", "1": "handler code", "2": "provisioned concurrency and SnapStart", "3": "memory and timeouts", "4": "concurrency, failures and observability", "5": "security"}.get(self.id[2], "other")

    def option_defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}


@dataclass
class RuleContext:
    rule: Rule
    project: Any  # project.model.Project
    options: dict[str, Any]
    settings: Any  # config.Settings
    level: str = ""

    @property
    def selected(self) -> bool:
        """Whether the user asked for this rule (select, extend-select, ALL) rather than getting it
        from the default set: a rule may report less when it only runs by default (LL401)."""
        explicit = getattr(self.settings, "explicit_rules", None)
        return explicit is None or self.rule.id in explicit

    def finding(self, message: str, location: Location, related: Iterable[Related] = (), subject: str = "", level: str | None = None) -> Finding:
        return Finding(
            rule_id=self.rule.id,
            level=level or self.level or self.rule.level,
            message=message,
            location=location,
            related=tuple(related),
            subject=subject,
        )
