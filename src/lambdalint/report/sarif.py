"""SARIF 2.1.0 built with sarif-om, shaped for GitHub code scanning.

Paths are relative to the scan root and anchored with ``uriBaseId`` ``%SRCROOT%``; rules carry
cfn-lint-style metadata (id, name, short and full description, help, helpUri, tags);
results carry ``partialFingerprints`` that survive line shifts; skipped or unparseable files
become ``toolExecutionNotifications``.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..findings import Finding, Location, fingerprint

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/lambdalint/lambdalint"
ROOT_ID = "%SRCROOT%"


def _to_plain(obj: Any) -> Any:
    """sarif-om objects -> JSON-ready dicts, dropping attributes left at their defaults."""
    import attr

    if attr.has(type(obj)):
        out = {}
        for field in attr.fields(type(obj)):
            value = getattr(obj, field.name)
            if value is None:
                continue
            default = field.default
            if isinstance(default, attr.Factory):
                default = default.factory()
            if default is not attr.NOTHING and value == default and field.name not in ("level", "kind"):
                continue
            out[field.metadata.get("schema_property_name", field.name)] = _to_plain(value)
        return out
    if isinstance(obj, dict):
        return {k: _to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_to_plain(v) for v in obj]
    return obj


def _physical(om, loc: Location):
    region = om.Region(start_line=loc.line, start_column=loc.column)
    if loc.end_line:
        region.end_line = loc.end_line
        if loc.end_column:
            region.end_column = loc.end_column
    return om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=loc.path, uri_base_id=ROOT_ID), region=region)


def _descriptor(om, rule) -> Any:
    properties: dict[str, Any] = {"tags": sorted(set(rule.tags) | {"lambda"})}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    properties["precision"] = "high"
    properties["problem.severity"] = {"error": "error", "warning": "warning", "note": "recommendation"}[rule.level]
    return om.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=_first_section(rule.docs)),
        help=om.MultiformatMessageString(text=f"{rule.summary}. See {rule.help_uri}", markdown=rule.docs),
        help_uri=rule.help_uri,
        default_configuration=om.ReportingConfiguration(level=rule.level),
        properties=properties,
    )


def _first_section(docs: str) -> str:
    """The "What it does" paragraph, as plain text."""
    body = docs.split("## What it does", 1)[-1].split("\n## ", 1)[0]
    return " ".join(body.split())


def _fixes(om, fix) -> list | None:
    """SARIF ``fixes`` for a finding's fix: one artifact change with byte-exact replacements."""
    if fix is None or not hasattr(fix, "edits"):
        return None
    replacements = [
        om.Replacement(
            deleted_region=om.Region(byte_offset=e.byte_start, byte_length=e.byte_end - e.byte_start),
            inserted_content=om.ArtifactContent(text=e.replacement),
        )
        for e in fix.edits
    ]
    change = om.ArtifactChange(artifact_location=om.ArtifactLocation(uri=fix.path, uri_base_id=ROOT_ID), replacements=replacements)
    return [om.Fix(description=om.Message(text=f"{fix.description} ({fix.applicability} fix)"), artifact_changes=[change], properties={"applicability": fix.applicability})]


def _result(om, f: Finding, index: dict[str, int], baseline: bool = False, base: str = "", fix=None):
    result = om.Result(
        message=om.Message(text=f.message),
        rule_id=f.rule_id,
        rule_index=index[f.rule_id],
        level=f.level,
        locations=[om.Location(physical_location=_physical(om, f.location))],
        partial_fingerprints={"lambdalint/v1": fingerprint(f, base)},
    )
    if f.related:
        result.related_locations = [
            om.Location(id=i, physical_location=_physical(om, r.location), message=om.Message(text=r.message))
            for i, r in enumerate(f.related, start=1)
        ]
    result.fixes = _fixes(om, fix)
    if baseline:
        result.baseline_state = "new"  # findings matching the baseline are not reported
    if f.suppression:
        result.suppressions = [om.Suppression(kind="inSource", justification=f.suppression)]
    return result


def render_sarif(result) -> str:
    import sarif_om as om

    rule_ids = sorted(set(result.enabled) | {f.rule_id for f in result.findings} | {f.rule_id for f in result.suppressed})
    rules = [result.rules[r] for r in rule_ids if r in result.rules]
    index = {rule.id: i for i, rule in enumerate(rules)}
    findings = sorted(list(result.findings) + list(result.suppressed), key=Finding.sort_key)
    notifications = [
        om.Notification(
            message=om.Message(text=n.message),
            level=n.level,
            locations=[om.Location(physical_location=_physical(om, Location(n.path, max(n.line, 1))))] if n.path else None,
        )
        for n in result.notices
    ]
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="lambdalint",
                version=__version__,
                semantic_version=__version__,
                information_uri=INFORMATION_URI,
                rules=[_descriptor(om, rule) for rule in rules],
            )
        ),
        invocations=[
            om.Invocation(
                execution_successful=not result.rule_errors,
                tool_execution_notifications=notifications or None,
            )
        ],
        original_uri_base_ids={ROOT_ID: om.ArtifactLocation(uri=result.root.as_uri() + "/")},
        results=[_result(om, f, index, result.baseline is not None, result.fingerprint_base, result.fixes.get(f)) for f in findings],
        column_kind="unicodeCodePoints",
    )
    log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA, runs=[run])
    return json.dumps(_to_plain(log), indent=2, ensure_ascii=False) + "\n"
