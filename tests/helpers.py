"""Shared test helpers: run the CLI on files written to a temporary directory and pick findings.

``hits`` / ``lines`` run one rule (or several, comma-separated) over ``files`` ({path: text});
``line_of`` finds where a snippet is written, so expectations name lines by content.
"""

from __future__ import annotations

import dataclasses

from lambdalint.findings import Location

from .conftest import check_json, write_files

SAM_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
CFN_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'

# the smallest SAM app with one Python function and its handler on disk
MINIMAL_SAM = {
    "template.yaml": SAM_HEAD
    + """\
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 1024
""",
    "src/app.py": "def handler(event, context):\n    return {}\n",
}


def hits(tmp_path, files: dict, rule_id: str, config: str = "", *extra: str) -> list[dict]:
    """The findings of ``rule_id`` (``--select rule_id``) on ``files`` written under ``tmp_path``."""
    if config:
        files = {**files, ".lambdalint.toml": config}
    write_files(tmp_path, files)
    report = check_json(tmp_path, "--select", rule_id, *extra)
    wanted = set(rule_id.split(","))
    return [f for f in report["findings"] if f["rule"] in wanted]


def lines(tmp_path, files: dict, rule_id: str, config: str = "") -> list[tuple[str, int]]:
    """(path, line) of each finding of ``rule_id``, sorted."""
    return sorted((f["path"], f["line"]) for f in hits(tmp_path, files, rule_id, config))


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` (0-based) occurrence of ``needle`` in ``text``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


def line_containing(text: str, snippet: str, nth: int = 1) -> int:
    """1-based line number of the ``nth`` (1-based) line that contains ``snippet``."""
    found = [i for i, line in enumerate(text.splitlines(), 1) if snippet in line]
    assert len(found) >= nth, (snippet, found)
    return found[nth - 1]


def by_line(value):
    """``value`` (records, lists of them) with every Location reduced to its path and line, so a
    test can spell expected records without columns."""
    if isinstance(value, Location):
        return Location(value.path, value.line)
    if isinstance(value, (list, tuple)):
        return type(value)(by_line(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: by_line(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init})
    return value
