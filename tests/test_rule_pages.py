"""rules/ is generated from the rules' own docs: fail when a page is stale or missing."""

from pathlib import Path

from lambdalint.rules.docs import expected_pages
from lambdalint.rules.registry import load_rules

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
