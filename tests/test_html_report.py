"""The HTML report as a document: self-contained, escaped, deterministic, accessible, and
drawn from the same data as the JSON report. (tests/test_html_browser.py opens it in Chromium.)"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from .conftest import OPERATIONS, run_cli, write_files

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 512
      Timeout: 5
      ReservedConcurrentExecutions: 20
      Events:
        Get:
          Type: Api
          Properties:
            Path: /orders
            Method: get
  Quiet:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: quiet.handler
      Runtime: python3.12
      MemorySize: 1024
"""
# the client call line carries markup that must come out as text
HANDLER = (
    "import boto3\n\n\ndef lambda_handler(event, context):\n"
    "    return boto3.client('s3').get_object(Bucket='</script><b>x</b>', Key='k')\n"
)
SUPPRESSED = "import boto3\n\n\ndef handler(event, context):\n    return boto3.client('sqs')  # lambdalint: ignore[LL101] -- one-off\n"


class _Outline(HTMLParser):
    """Tags, attributes and text of a page, for structural checks."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


def _app(tmp_path):
    return write_files(tmp_path, {"template.yaml": SAM, "src/app.py": HANDLER, "src/quiet.py": SUPPRESSED})


def _html(root, *extra) -> str:
    code, out = run_cli(["check", ".", "--format", "html", "--fail-on", "never", "--ignore", OPERATIONS, *extra], cwd=root)
    assert code == 0, out
    return out


def _json(root, *extra) -> dict:
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never", "--ignore", OPERATIONS, *extra], cwd=root)
    assert code == 0, out
    return json.loads(out)


def test_self_contained_no_network(tmp_path):
    page = _html(_app(tmp_path))
    outline = _outline(page)
    tags = [t for t, _ in outline.tags]
    assert "link" not in tags and "img" not in tags and "iframe" not in tags
    assert all("src" not in attrs for _, attrs in outline.tags)  # inline script, no script src
    csp = [a["content"] for t, a in outline.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"]
    # the only URLs are links a reader may follow: rule pages (the table's come from its data)
    hrefs = {a["href"] for t, a in outline.tags if t == "a"}
    table = _table(page)
    hrefs |= {link for _, link in table["rules"].values()}
    assert hrefs and all(h.startswith("https://github.com/lambdalint/lambdalint/blob/main/rules/LL") for h in hrefs)
    assert "url(" not in page and "@import" not in page


def _table(page: str) -> dict:
    """The findings table's data, as the page's script reads it."""
    start = page.index('<script type="application/json" id="findings-data">') + len('<script type="application/json" id="findings-data">')
    return json.loads(page[start : page.index("</script>", start)])


def test_content_is_escaped(tmp_path):
    page = _html(_app(tmp_path))
    assert "</script><b>x</b>" not in page
    assert "<\\/script><b>x<\\/b>" in page  # inside the table's JSON: cannot close the element
    assert page.count("<script") == 2 and page.count("</script>") == 2
    (row,) = _table(page)["findings"]
    assert row[6] == "    return boto3.client('s3').get_object(Bucket='</script><b>x</b>', Key='k')"  # the script shows it as text


def test_numbers_cards_and_source_lines_follow_the_json(tmp_path):
    root = _app(tmp_path)
    data = _json(root)
    page = _html(root)
    text = " ".join(" ".join(_outline(page).text).split())
    assert data["summary"]["suppressed"] == 1
    assert f'<span class="n" id="s-findings">{data["summary"]["findings"]}</span>' in page
    assert '<span class="n" id="s-suppressed">1</span>' in page
    assert '<span class="n" id="s-functions">2</span>' in page and '<span class="n" id="s-linked">2</span>' in page
    # one card, for the function with findings only; with its settings and callers
    assert page.count('<article class="card"') == 1
    assert "Functions with findings (1 of 2)" in text
    assert "512 MB" in text and "5 s" in text and "1 api (sync)" in text and "Reserved concurrency 20" in text
    table = _table(page)
    assert [[r[0], r[1], r[2], r[3], r[4], r[5]] for r in table["findings"]] == [
        [f["level"], f["rule"], f["path"], f["line"], f["column"], f["message"]] for f in data["findings"]
    ]
    assert data["source_lines"] == {"src/app.py": {"5": "    return boto3.client('s3').get_object(Bucket='</script><b>x</b>', Key='k')"},
                                    "src/quiet.py": {"5": "    return boto3.client('sqs')  # lambdalint: ignore[LL101] -- one-off"}}


def test_baselined_counts(tmp_path):
    root = _app(tmp_path)
    code, out = run_cli(["baseline", ".", "-o", "base.json"], cwd=root)
    assert code == 0, out
    page = _html(root, "--baseline", "base.json")
    assert re.search(r'id="s-baselined">\d+</span>hidden by the baseline', page)
    assert '<span class="n" id="s-findings">0</span>' in page


def test_deterministic_and_jobs_independent(tmp_path):
    root = _app(tmp_path)
    assert _html(root) == _html(root) == _html(root, "--jobs", "2")


def test_accessible_structure_and_print_styles(tmp_path):
    page = _html(_app(tmp_path))
    outline = _outline(page)
    tags = outline.tags
    assert ("html", {"lang": "en"}) in tags
    headings = [t for t, _ in tags if re.fullmatch(r"h[1-6]", t)]
    assert headings[0] == "h1" and headings.count("h1") == 1 and "h2" in headings
    assert all(a.get("scope") in ("col", "row") for t, a in tags if t == "th")
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for t, a in tags if t == "svg")
    # level is a word and a symbol, never a colour alone
    assert '<span class="lvl lvl-warning">\u25b2 warning</span>' in page
    assert "@media print" in page


def test_empty_project(tmp_path):
    write_files(tmp_path, {"README.md": "nothing to check\n"})
    page = _html(tmp_path)
    assert '<span class="n" id="s-findings">0</span>' in page and "No function has findings." in page
    assert '<strong id="s-cost">$0.00</strong>' in page
