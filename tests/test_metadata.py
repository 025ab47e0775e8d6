"""Rule metadata: the public contract of IDs, names and levels from design/rules.md."""

from __future__ import annotations

import re

from lambdalint.rules.registry import load_rules

# The catalogue (design/rules.md): IDs and names never change once shipped.
CATALOGUE = {
    "LL001": ("parse-error", "error"),
    "LL002": ("handler-not-found", "error"),
    "LL003": ("unused-suppression", "warning"),  # added by the workflow issue (RUF100's idea)
    "LL101": ("client-in-handler", "warning"),
    "LL102": ("connection-in-handler", "warning"),
    "LL103": ("config-fetch-in-handler", "warning"),
    "LL110": ("snapstart-init-uniqueness", "warning"),
    "LL111": ("snapstart-stale-connection", "warning"),
    "LL120": ("aws-sdk-v2-missing-on-node18", "error"),
    "LL201": ("pc-on-latest", "error"),
    "LL202": ("pc-without-autoscaling", "warning"),
    "LL203": ("pc-target-utilization", "warning"),
    "LL204": ("pc-exceeds-reserved", "error"),
    "LL205": ("pc-not-invoked", "warning"),
    "LL210": ("snapstart-unsupported", "error"),
    "LL211": ("snapstart-with-pc", "error"),
    "LL212": ("snapstart-unpublished", "warning"),
    "LL301": ("cpu-bound-low-memory", "warning"),
    "LL302": ("default-memory", "note"),
    "LL303": ("managed-runtime-low-memory", "warning"),
    "LL304": ("sync-timeout-over-gateway", "warning"),
    "LL305": ("invalid-limits", "error"),
    "LL306": ("deprecated-runtime", "warning"),  # error once AWS blocks creating functions on it
    "LL401": ("missing-reserved-concurrency", "warning"),
    "LL402": ("missing-alarms", "warning"),
    "LL403": ("reserved-exceeds-account", "error"),
    "LL404": ("async-without-failure-destination", "warning"),
    "LL405": ("tracing-disabled", "note"),
    "LL406": ("queue-without-batch-failure-reporting", "warning"),
    "LL407": ("stream-without-failure-destination", "warning"),
    "LL501": ("plaintext-secret-in-env", "error"),
    "LL502": ("wildcard-execution-role", "warning"),
    "LL503": ("public-function-url", "warning"),
}
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References")


def test_ids_and_names_match_the_catalogue():
    rules = load_rules()
    for rule in rules.values():
        assert rule.id in CATALOGUE, f"{rule.id} is not in the catalogue"
        assert (rule.name, rule.level) == CATALOGUE[rule.id], rule.id


def test_ids_and_names_unique_and_well_formed():
    rules = load_rules()
    names = [r.name for r in rules.values()]
    assert len(set(names)) == len(names)
    for rule in rules.values():
        assert re.fullmatch(r"LL\d{3}", rule.id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
        assert rule.level in ("error", "warning", "note")
        assert rule.summary and not rule.summary.endswith(".")


def test_every_rule_is_documented_with_all_sections():
    for rule in load_rules().values():
        positions = [rule.docs.find(s) for s in SECTIONS]
        assert all(p >= 0 for p in positions), f"{rule.id} docs miss a section"
        assert positions == sorted(positions), f"{rule.id} docs sections out of order"


def test_every_rule_has_examples_both_ways():
    for rule in load_rules().values():
        assert rule.must_fire, f"{rule.id} has no must-fire example"
        assert rule.must_not_fire, f"{rule.id} has no must-not-fire example"
