"""The HTML report in a real headless Chromium: no console errors, no network requests, the
numbers on the page are the JSON report's, and the table's filter and sort work.

Skipped with a reason when Chromium is not installed, except in CI (CI=true), where a missing
browser is a failure: .ci/run installs Debian's chromium package.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from lambdalint.report.html import TABLE_PAGE

from .browser import Browser, find_chromium
from .conftest import run_cli
from .sweep import build_sweep

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = find_chromium()

if CHROMIUM is None:
    if os.environ.get("CI", "").lower() == "true":
        raise RuntimeError("CI=true but no Chromium found: install Debian's chromium package (see .ci/run) or set LAMBDALINT_CHROMIUM")
    pytest.skip("Chromium is not installed (apt-get install chromium, or set LAMBDALINT_CHROMIUM)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM) as b:
        yield b


def _reports(cwd: Path, *paths: str) -> tuple[Path, dict]:
    code, out = run_cli(["check", *paths, "--format", "json", "--select", "ALL", "--fail-on", "never"], cwd=cwd)
    assert code == 0, out
    data = json.loads(out)
    page = cwd / "report.html"
    code, out = run_cli(["check", *paths, "--format", "html", "--select", "ALL", "--fail-on", "never", "-o", str(page)], cwd=cwd)
    assert code == 0, out
    return page, data


def _assert_page_matches(browser: Browser, page: Path, data: dict, tmp_path: Path, name: str) -> None:
    load = browser.open(page.as_uri())
    assert load.errors == []
    assert load.requests == [page.as_uri()]  # the page itself and nothing else
    number = lambda ident: browser.evaluate(f"document.getElementById('{ident}').textContent.replace(/,/g, '')")
    summary = data["summary"]
    assert number("s-findings") == str(summary["findings"])
    for level in ("error", "warning", "note"):
        assert number(f"s-{level}") == str(summary["by_level"][level])
    assert number("s-suppressed") == str(summary["suppressed"])
    assert number("s-files") == str(summary["files"])
    assert number("s-functions") == str(len(data["functions"]))
    assert number("s-linked") == str(sum(1 for f in data["functions"] if f["handler_module"]))
    total = len(data["findings"])
    assert browser.evaluate("document.getElementById('f-count').textContent") == f"{total} of {total} findings shown"
    # one page of rows at a time; every rule links to its rule page
    first = data["findings"][:TABLE_PAGE]
    rules = browser.evaluate("Array.from(document.querySelectorAll('#findings tbody tr td:nth-child(2) a')).map(a => a.textContent)")
    assert rules == [f["rule"] for f in first]
    locations = browser.evaluate("Array.from(document.querySelectorAll('#findings tbody tr td:nth-child(3)')).map(td => td.textContent)")
    assert locations == [f"{f['path']}:{f['line']}:{f['column']}" for f in first]
    png = browser.screenshot()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    (tmp_path / f"{name}.png").write_bytes(png)


def test_example_project_renders_without_errors_or_requests(browser, tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    page, data = _reports(tmp_path, "examples")
    assert data["summary"]["findings"] > 20 and data["functions"]
    _assert_page_matches(browser, page, data, tmp_path, "examples")


def test_filter_and_sort_work_in_the_browser(browser, tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    page, data = _reports(tmp_path, "examples")
    browser.open(page.as_uri())
    errors = sum(1 for f in data["findings"] if f["level"] == "error")
    visible = "Array.from(document.querySelectorAll('#findings tbody tr')).filter(r => !r.hidden)"
    browser.evaluate("(() => { const s = document.getElementById('f-level'); s.value = 'error'; s.dispatchEvent(new Event('change')); })()")
    assert browser.evaluate(f"{visible}.length") == errors
    assert browser.evaluate("document.getElementById('f-count').textContent") == f"{errors} of {len(data['findings'])} findings shown"
    browser.evaluate("(() => { const s = document.getElementById('f-level'); s.value = ''; s.dispatchEvent(new Event('change')); })()")
    browser.evaluate("(() => { const q = document.getElementById('f-text'); q.value = 'LL101'; q.dispatchEvent(new Event('input')); })()")
    assert browser.evaluate(f"{visible}.length") == sum(1 for f in data["findings"] if "LL101" in f["rule"] or "LL101" in f["message"])
    browser.evaluate("(() => { const q = document.getElementById('f-text'); q.value = ''; q.dispatchEvent(new Event('input')); })()")
    # sort by level: errors first, and the header says so
    browser.evaluate("document.querySelector('th[data-key=rank] button').click()")
    levels = browser.evaluate("Array.from(document.querySelectorAll('#findings tbody tr')).map(r => r.dataset.level)")
    order = {"error": 0, "warning": 1, "note": 2}
    assert levels == sorted(levels, key=order.__getitem__)
    assert browser.evaluate("document.querySelector('th[data-key=rank]').getAttribute('aria-sort')") == "ascending"


def test_multi_repository_sweep_renders(browser, tmp_path):
    """Every fixture project of the test suite as one repository of a sweep."""
    sweep = tmp_path / "sweep"
    names = build_sweep(sweep, independent=False)
    page, data = _reports(sweep, *names)
    total = len(data["findings"])
    assert len(data["functions"]) > 50 and total > TABLE_PAGE
    _assert_page_matches(browser, page, data, tmp_path, "sweep")
    rows = "document.querySelectorAll('#findings tbody tr').length"
    assert browser.evaluate(rows) == TABLE_PAGE
    assert browser.evaluate("document.getElementById('f-page').textContent") == f"rows 1\u2013{TABLE_PAGE} of {total}"
    browser.evaluate("document.getElementById('f-next').click()")
    assert browser.evaluate(rows) == min(TABLE_PAGE, total - TABLE_PAGE)
    first = browser.evaluate("document.querySelector('#findings tbody tr td:nth-child(3)').textContent")
    f = data["findings"][TABLE_PAGE]
    assert first == f"{f['path']}:{f['line']}:{f['column']}"
    # printing lays out every row, then the page comes back
    browser.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert browser.evaluate(rows) == total
    browser.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert browser.evaluate(rows) == min(TABLE_PAGE, total - TABLE_PAGE)
    pdf = browser.call("Page.printToPDF")["data"]
    assert len(pdf) > 10_000
