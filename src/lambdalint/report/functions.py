"""The ``functions`` array of the JSON report: every function the run found, with the settings
a reader needs to judge it (memory, timeout, concurrency, SnapStart, callers, alarms).

Plain data only, so a merged report can be rebuilt from shards, and the HTML report (and its
cost estimates) can be drawn from JSON alone.
"""

from __future__ import annotations

from typing import Any

_SETTINGS = ("runtime", "memory", "timeout", "architectures", "reserved_concurrency", "snapstart", "handler", "package_type", "tracing")


def setting_dict(setting) -> dict | None:
    """``{"value": ..., "state": "present" | "absent" | "unknown"}``; absent carries the platform
    default; unknown carries the expression it came from."""
    if setting is None:
        return None
    out: dict[str, Any] = {"value": _plain(setting.value), "state": setting.state}
    if setting.state == "unknown" and setting.source:
        out["source"] = setting.source
    return out


def qualifier_dict(qualifier) -> dict:
    """A qualifier in the shape of a setting (``{"value": "live", "state": "present"}``), so the
    HTML report and cost estimates read it like one; unknown carries the expression."""
    if not qualifier.known:
        return {"value": None, "state": "unknown", **({"source": qualifier.source} if qualifier.source else {})}
    return {"value": qualifier.text, "state": "present"}


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _alarms_by_function(project) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for alarm in getattr(project, "alarms", []) or []:
        for metric in alarm.metrics:
            target = metric.function  # None: a literal name, an unresolved or no function dimension
            if target is None:
                continue
            entry = {"address": alarm.address, "metric": metric.metric, "path": alarm.location.path, "line": alarm.location.line}
            bucket = out.setdefault(id(target), [])
            if entry not in bucket:
                bucket.append(entry)
    return out


def function_records(project) -> list[dict]:
    """One record per function, sorted by location so the order does not depend on how files were
    grouped (a merged report sorts the same way)."""
    if project is None:
        return []
    alarms = _alarms_by_function(project)
    records = []
    for fn in project.functions:
        records.append(
            {
                "address": fn.address,
                "name": fn.name,
                "kind": fn.kind,
                "path": fn.location.path,
                "line": fn.location.line,
                "root": fn.root,
                "settings": {name: setting_dict(getattr(fn, name, None)) for name in _SETTINGS},
                "handler_module": fn.handler_module,
                "handler_function": fn.handler_function,
                "provisioned": [
                    {
                        "address": pc.address,
                        "path": pc.location.path,
                        "line": pc.location.line,
                        "qualifier": qualifier_dict(pc.qualifier),
                        "amount": setting_dict(pc.amount),
                        "autoscaled": bool(pc.autoscaling),
                    }
                    for pc in fn.provisioned
                ],
                "callers": sorted(
                    (
                        {"kind": c.kind, "invocation": c.invocation, "address": c.address, "path": c.location.path, "line": c.location.line}
                        for c in fn.callers
                    ),
                    key=lambda c: (c["path"], c["line"], c["address"], c["kind"]),
                ),
                "alarms": sorted(alarms.get(id(fn), []), key=lambda a: (a["path"], a["line"], a["address"], a["metric"] or "")),
            }
        )
    return sorted(records, key=sort_key)


def sort_key(record: dict) -> tuple:
    return (record["path"], record["line"], record["address"])
