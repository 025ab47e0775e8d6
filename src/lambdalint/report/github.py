"""GitHub Actions workflow commands: annotations on the pull request without code scanning."""

from __future__ import annotations

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result) -> str:
    lines = []
    for f in result.findings:
        loc = f.location
        rule = result.rules.get(f.rule_id)
        title = f"{f.rule_id} {rule.name}" if rule else f.rule_id
        props = [f"file={_escape_property(loc.path)}", f"line={loc.line}", f"col={loc.column}"]
        if loc.end_line:
            props.append(f"endLine={loc.end_line}")
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{_COMMAND[f.level]} {','.join(props)}::{_escape_data(f.message)}")
    for n in result.notices:
        props = f"file={_escape_property(n.path)},line={max(n.line, 1)}," if n.path else ""
        lines.append(f"::notice {props}title=lambdalint::{_escape_data(n.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
