"""rules/ is generated from the rules' own docs: fail when a page is stale or missing, or when the
docs show code that is not a tested example."""

import re
from pathlib import Path

from lambdalint.rules.base import Example
from lambdalint.rules.docs import expected_pages
from lambdalint.rules.example_docs import fill_examples, unmarked
from lambdalint.rules.registry import load_rules

from .conftest import run_cli

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def test_rule_pages_are_current():
    pages = expected_pages(load_rules())
    on_disk = {p.name for p in RULES_DIR.glob("*.md")}
    assert on_disk == set(pages), "run: lambdalint rules --write-docs rules/"
    for name, text in pages.items():
        assert (RULES_DIR / name).read_text(encoding="utf-8") == text, f"rules/{name} is stale: run lambdalint rules --write-docs rules/"


def test_help_uri_points_at_the_page():
    for rule in load_rules().values():
        assert rule.help_uri.endswith(f"rules/{rule.id}-{rule.name}.md")
        assert (RULES_DIR / f"{rule.id}-{rule.name}.md").is_file()


def _section(docs: str, heading: str) -> str:
    start = docs.find(f"## {heading}\n")
    if start < 0:
        return ""
    end = docs.find("\n## ", start + 1)
    return docs[start : end if end >= 0 else None]


def _blocks(text: str) -> list[str]:
    return [m.group(2) for m in re.finditer(r"^```(\w*)\n(.*?)\n```$", text, re.S | re.M) if m.group(1) != "toml"]


def test_example_code_in_the_docs_is_the_tested_examples():
    """The "Example" / "Use instead" code is generated from the embedded examples (configuration
    snippets in TOML aside), so it is code test_rule_examples runs, without its expect comments."""
    for rule in load_rules().values():
        assert "<!-- example -->" not in rule.docs and "<!-- use-instead -->" not in rule.docs, rule.id
        assert "expect:" not in rule.docs, f"{rule.id}: a test annotation leaked into the docs"
        for heading, examples in (("Example", rule.must_fire), ("Use instead", rule.must_not_fire)):
            tested = {unmarked(text).rstrip() for example in examples for text in example.files.values()}
            for block in _blocks(_section(rule.docs, heading)):
                assert block in tested, f"{rule.id} {heading}: code that is not one of its examples:\n{block}"
        assert _blocks(_section(rule.docs, "Example")), f"{rule.id}: no example in the docs"


def test_docs_show_the_examples_marked_for_them():
    first, marked = Example({"a.py": "x = 1  # expect: LL101\n"}), Example({"b.py": "y = 2\n", "c.tf": "z = 3\n"}, docs=True)
    docs = fill_examples("## Example\n<!-- example -->\n\n## Use instead\n<!-- use-instead -->\nprose\n", (first,), (Example({"d.py": "w = 4\n"}), marked))
    assert docs == "## Example\n```python\nx = 1\n```\n\n## Use instead\n`b.py`:\n```python\ny = 2\n```\n`c.tf`:\n```hcl\nz = 3\n```\nprose\n"


def test_explain_shows_the_generated_examples():
    code, out = run_cli(["explain", "LL406"])
    assert code == 0
    rule = load_rules()["LL406"]
    assert unmarked(rule.must_fire[0].files["template.yaml"]).rstrip() in out
    assert unmarked(rule.must_not_fire[0].files["template.yaml"]).rstrip() in out
    assert "expect:" not in out
