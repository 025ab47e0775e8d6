"""Cost of provisioned concurrency billed around the clock, against hand calculations on a
fixture with known settings (tests/fixtures/projects/cost: SAM and Terraform)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lambdalint.report.cost import estimates, pricing, regions
from lambdalint.report.html import render_html
from lambdalint.rules.registry import load_rules

from .conftest import run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "projects" / "cost"
SECONDS = 730 * 3600  # "enabled all month": 730 hours

# By hand, us-east-1 (x86_64 $0.0000041667, arm64 $0.0000033334 per GB-second):
#   Checkout: 25 x 2048/1024 GB x 2,628,000 s x 0.0000033334 = 438.00876
#   Search:   10 x 1536/1024 GB x 2,628,000 s x 0.0000041667 = 164.251314
#   reports:   2 x 3008/1024 GB x 2,628,000 s x 0.0000041667 =  64.33176465
#   total 666.59183865
# eu-west-1 (x86_64 $0.000004646, no arm64 price in the table):
#   Search 183.14532, reports 71.731917, total 254.877237; Checkout not estimated
HAND_US_EAST_1 = {"Checkout": 438.00876, "Search": 164.251314, "reports": 64.33176465}
HAND_EU_WEST_1 = {"Search": 183.14532, "reports": 71.731917}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("cost")
    shutil.copytree(FIXTURE, root / "cost")
    code, out = run_cli(["check", "cost", "--format", "json", "--fail-on", "never"], cwd=root)
    assert code == 0, out
    return root, json.loads(out)


def _by_name(data: dict, region: str | None = None) -> dict:
    price = pricing(region)
    return {fn["name"]: estimates(fn, price) for fn in data["functions"]}


def test_fixed_pc_is_priced_like_the_hand_calculation(report):
    _, data = report
    found = _by_name(data)
    priced = {name: [e.monthly_usd for e in est] for name, est in found.items() if est}
    assert priced.keys() == {"Checkout", "Search", "reports", "FromParam"}
    for name, expected in HAND_US_EAST_1.items():
        assert priced[name] == [pytest.approx(expected, abs=1e-6)]
    assert sum(HAND_US_EAST_1.values()) == pytest.approx(666.59183865)


def test_no_figure_where_a_value_is_unknown_or_the_amount_varies(report):
    _, data = report
    found = _by_name(data)
    assert found["Scaled"] == []  # an autoscaling target manages it: no 24x7 figure
    assert found["Latest"] == []  # $LATEST: Lambda rejects it, nothing is billed (LL201)
    assert found["Plain"] == []
    (param,) = found["FromParam"]
    assert param.monthly_usd is None and param.reason == "the memory size is not a literal"


def test_other_region_prices_and_missing_architecture_price(report):
    _, data = report
    found = _by_name(data, "eu-west-1")
    assert found["Search"][0].monthly_usd == pytest.approx(HAND_EU_WEST_1["Search"], abs=1e-6)
    assert found["reports"][0].monthly_usd == pytest.approx(HAND_EU_WEST_1["reports"], abs=1e-6)
    assert found["Checkout"][0].monthly_usd is None
    assert found["Checkout"][0].reason == "no arm64 price for eu-west-1 in the price table"


def test_html_shows_the_figures_total_and_assumption(report):
    _, data = report
    page = render_html(data, load_rules())
    assert '<strong id="s-cost">$666.59</strong>' in page
    for figure in ("$438.01", "$164.25", "$64.33"):
        assert figure in page
    assert "enabled all month" in page and "730 hours" in page
    assert "not estimated: the memory size is not a literal" in page
    assert "us-east-1" in page and "as of 2026-12-06" in page and "aws.amazon.com/lambda/pricing" in page
    other = render_html(data, load_rules(), "eu-west-1")
    assert '<strong id="s-cost">$254.88</strong>' in other


def test_cli_pricing_region(report):
    root, _ = report
    code, out = run_cli(["check", "cost", "--format", "html", "--fail-on", "never", "--pricing-region", "eu-west-1"], cwd=root)
    assert code == 0 and '<strong id="s-cost">$254.88</strong>' in out
    code, out = run_cli(["check", "cost", "--format", "html", "--pricing-region", "mars-north-1"], cwd=root)
    assert code == 2 and "no prices for 'mars-north-1'" in out


def test_price_table_is_data_with_source_date_and_region():
    price = pricing()
    assert price.region == "us-east-1" and price.hours_per_month == 730
    assert price.prices == {"x86_64": 0.0000041667, "arm64": 0.0000033334}
    assert price.as_of and price.sources
    assert "us-east-1" in regions() and all(pricing(r).prices.get("x86_64") for r in regions())
