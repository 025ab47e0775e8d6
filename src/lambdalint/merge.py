"""``lambdalint merge``: combine the reports of separate runs (one CI job per repository or per
slice) into the report one run over all of their paths would have written.

JSON shards carry everything a report needs (findings, functions, source lines, summary), so
they merge into any format. The merged document is rebuilt in the order a single run sorts
things, and summary counters are summed field by field without knowing their names, so new
counters added to the summary merge too. Shards must come from the same lambdalint version and
configuration (the ``config.fingerprint`` of the JSON report) and must cover disjoint paths.
SARIF shards merge into SARIF only (SARIF has no function data).
"""

from __future__ import annotations

import json
from numbers import Number
from typing import Any


class MergeError(Exception):
    """Shards that cannot be combined; the message says which and why."""


def load(path: str) -> tuple[str, dict]:
    """("json" | "sarif", document) of one shard."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise MergeError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise MergeError(f"{path}: not JSON ({exc})") from None
    if isinstance(data, dict) and "schema_version" in data and "findings" in data:
        return "json", data
    if isinstance(data, dict) and isinstance(data.get("runs"), list) and str(data.get("version", "")).startswith("2.1"):
        return "sarif", data
    raise MergeError(f"{path}: neither a lambdalint JSON report (--format json) nor a SARIF 2.1.0 log")


_REQUIRED = {
    "findings": ("rule", "level", "message", "path", "line", "column"),
    "suppressed": ("rule", "level", "message", "path", "line", "column"),
    "notices": ("path", "line", "level", "message"),
    "functions": ("address", "path", "line"),
}


def _validate(name: str, data: dict) -> None:
    """A shard that is not a whole lambdalint report is refused by name, never a traceback."""
    for key, fields in _REQUIRED.items():
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) and all(f in item for f in fields) for item in items):
            raise MergeError(f"{name}: {key!r} is not a list of lambdalint {key} (each with {', '.join(fields)}); is the file complete?")
    if not isinstance(data.get("summary", {}), dict) or not isinstance(data.get("source_lines", {}), dict):
        raise MergeError(f"{name}: 'summary' and 'source_lines' must be objects; is the file complete?")


def _same(shards: list[tuple[str, dict]], what: str, get) -> Any:
    values = {}
    for name, data in shards:
        values.setdefault(json.dumps(get(data), sort_keys=True), []).append(name)
    if len(values) > 1:
        detail = "; ".join(f"{', '.join(names)}: {value}" for value, names in values.items())
        raise MergeError(f"shards come from different {what} ({detail}); re-run them alike, with one --config")
    return get(shards[0][1])


def _check_disjoint(shards: list[tuple[str, dict]]) -> None:
    owner: dict[str, str] = {}
    for name, data in shards:
        for root in (data.get("summary") or {}).get("by_path") or {}:
            for other, other_name in owner.items():
                if root == other or root in (".", "") or other in (".", "") or root.startswith(other.rstrip("/") + "/") or other.startswith(root.rstrip("/") + "/"):
                    raise MergeError(f"shards overlap: {other_name} covers {other!r} and {name} covers {root!r}; each path must be checked by one shard")
            owner[root] = name


def merge_summary(values: list[Any]) -> Any:
    """Sum counters field by field: numbers add up, dicts merge key by key (sorted when every
    shard keeps them sorted, as per-rule and per-path counts are, else in first-seen order),
    null stays null, equal strings stay."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    first = present[0]
    if isinstance(first, bool) or isinstance(first, str):
        if any(v != first for v in present):
            raise MergeError(f"summary values differ and cannot be added: {present!r}")
        return first
    if isinstance(first, Number):
        return sum(present)
    if isinstance(first, dict):
        keys: list = []
        seen = set()
        for value in present:
            for key in value:
                if key not in seen:
                    seen.add(key)
                    keys.append(key)
        multi = [list(v) for v in present if len(v) > 1]
        if all(k == sorted(k) for k in multi):
            keys.sort()
        return {key: merge_summary([v.get(key) for v in present]) for key in keys}
    if isinstance(first, list):
        return [item for value in present for item in value]
    raise MergeError(f"cannot merge summary value {first!r}")


def _finding_key(f: dict) -> tuple:
    # Finding.sort_key, on the JSON shape
    return (f["path"], f["line"], f["column"], f["rule"], f["message"], f.get("subject", ""))


def _notice_key(n: dict) -> tuple:
    # Notice dataclass order: path, line, message, level
    return (n["path"], n["line"], n["message"], n["level"])


def _unique(items: list[dict], key) -> list[dict]:
    out, seen = [], set()
    for item in sorted(items, key=key):
        marker = json.dumps(item, sort_keys=True)
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out


def merge_json(shards: list[tuple[str, dict]]) -> dict:
    if not shards:
        raise MergeError("no shards to merge")
    for name, data in shards:
        _validate(name, data)
    _same(shards, "report schema versions", lambda d: d.get("schema_version"))
    _same(shards, "lambdalint versions", lambda d: (d.get("tool") or {}).get("version"))
    for name, data in shards:
        if not (data.get("config") or {}).get("fingerprint"):
            raise MergeError(f"{name}: the report has no configuration fingerprint (written by an older lambdalint); re-run it")
    _same(shards, "configurations (config.fingerprint)", lambda d: d["config"]["fingerprint"])
    _check_disjoint(shards)
    from .report.functions import sort_key as function_key

    docs = [data for _, data in shards]
    merged: dict[str, Any] = {}
    for key in docs[0]:
        values = [d.get(key) for d in docs]
        if key in ("findings", "suppressed"):
            merged[key] = _unique([f for v in values for f in v or []], _finding_key)
        elif key == "notices":
            merged[key] = _unique([n for v in values for n in v or []], _notice_key)
        elif key == "functions":
            merged[key] = sorted((f for v in values for f in v or []), key=function_key)
        elif key == "source_lines":
            combined: dict = {}
            for v in values:
                for path, lines in (v or {}).items():
                    combined.setdefault(path, {}).update(lines)
            merged[key] = {p: dict(sorted(combined[p].items(), key=lambda kv: int(kv[0]))) for p in sorted(combined)}
        elif key == "summary":
            merged[key] = merge_summary(values)
        elif all(json.dumps(v, sort_keys=True) == json.dumps(values[0], sort_keys=True) for v in values):
            merged[key] = values[0]  # schema_version, tool, config
        elif all(isinstance(v, list) for v in values):
            merged[key] = [item for v in values for item in v]
        else:
            merged[key] = merge_summary(values)
    return merged


def merge_sarif(shards: list[tuple[str, dict]]) -> dict:
    """SARIF logs of one lambdalint version and configuration: one run whose rules, results and
    notifications are the union, ordered as a single run orders them."""
    try:
        return _merge_sarif(shards)
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        raise MergeError(f"a SARIF shard is not a complete lambdalint SARIF log ({type(exc).__name__}: {exc})") from None


def _merge_sarif(shards: list[tuple[str, dict]]) -> dict:
    runs = []
    for name, data in shards:
        if len(data["runs"]) != 1 or ((data["runs"][0].get("tool") or {}).get("driver") or {}).get("name") != "lambdalint":
            raise MergeError(f"{name}: not a single-run lambdalint SARIF log")
        runs.append((name, data["runs"][0]))
    _same(runs, "lambdalint versions", lambda r: r["tool"]["driver"].get("version"))
    _same(runs, "rule selections", lambda r: sorted(rule["id"] for rule in r["tool"]["driver"].get("rules", [])))
    first = runs[0][1]
    rules: dict[str, dict] = {}
    for _, run in runs:
        for rule in run["tool"]["driver"].get("rules", []):
            rules.setdefault(rule["id"], rule)
    ordered = [rules[r] for r in sorted(rules)]
    index = {rule["id"]: i for i, rule in enumerate(ordered)}

    def where(item: dict) -> tuple:
        loc = ((item.get("locations") or [{}])[0].get("physicalLocation") or {})
        region = loc.get("region") or {}
        return ((loc.get("artifactLocation") or {}).get("uri", ""), region.get("startLine", 0), region.get("startColumn", 0))

    results = []
    for _, run in runs:
        for result in run.get("results", []):
            result = dict(result)
            result["ruleIndex"] = index[result["ruleId"]]
            results.append(result)
    results.sort(key=lambda r: (*where(r), r["ruleId"], r["message"]["text"]))
    notifications, successful = [], True
    for _, run in runs:
        for invocation in run.get("invocations", []):
            successful = successful and invocation.get("executionSuccessful", True)
            notifications.extend(invocation.get("toolExecutionNotifications", []))
    notifications = sorted(notifications, key=lambda n: (where(n)[0], where(n)[1], n["message"]["text"], n.get("level", "")))
    merged_run = {}
    for key, value in first.items():
        if key == "tool":
            value = {**value, "driver": {**value["driver"], "rules": ordered}}
        elif key == "invocations":
            invocation = {"executionSuccessful": successful}
            if notifications:
                invocation["toolExecutionNotifications"] = notifications
            value = [invocation]
        elif key == "results":
            value = results
        merged_run[key] = value
    return {**shards[0][1], "runs": [merged_run]}


def result_from_json(data: dict, rules: dict, root):
    """An engine ``Result`` rebuilt from a (merged) JSON report, for the text and SARIF reporters."""
    from .engine import Result
    from .findings import Finding, Location, Notice, Related

    def finding(f: dict) -> Finding:
        return Finding(
            f["rule"],
            f["level"],
            f["message"],
            Location(f["path"], f["line"], f["column"], f.get("end_line"), f.get("end_column")),
            tuple(Related(Location(r["path"], r["line"], r["column"], r.get("end_line"), r.get("end_column")), r["message"]) for r in f.get("related") or []),
            f.get("subject", ""),
            f.get("suppressed"),
        )

    def fix(f: dict):
        # only present when the shards were written with --show-fixes; SARIF needs the edits' bytes
        found = f.get("fix")
        if not isinstance(found, dict):
            return None
        from .fix.model import Edit, Fix

        edits = tuple(Edit(-1, -1, e["content"], e["start_byte"], e["end_byte"]) for e in found.get("edits") or [])
        path = (found.get("edits") or [{}])[0].get("path", f["path"])
        return Fix(path, edits, found["applicability"], found["description"], tuple(found.get("reveals") or ()))

    summary = data.get("summary") or {}
    baseline = summary.get("baseline")
    functions, inputs = summary.get("functions"), summary.get("inputs")
    coverage = None
    if isinstance(functions, dict) and isinstance(inputs, dict):
        from .coverage import Coverage

        coverage = Coverage(
            functions=functions.get("found", 0),
            linked=functions.get("linked", 0),
            by_kind=dict(functions.get("by_kind") or {}),
            templates=inputs.get("templates", 0),
            terraform_roots=inputs.get("terraform_roots", 0),
            skipped=inputs.get("skipped", 0),
        )
    return Result(
        root=root,
        findings=[finding(f) for f in data.get("findings") or []],
        notices=[Notice(n["path"], n["line"], n["message"], n["level"]) for n in data.get("notices") or []],
        files=[None] * int(summary.get("files") or 0),  # reporters only count them
        rules=rules,
        enabled=set((data.get("config") or {}).get("rules") or []),
        suppressed=[finding(f) for f in data.get("suppressed") or []],
        baseline=None if baseline is None else (baseline.get("matched", 0), baseline.get("fixed", 0)),
        roots=sorted((summary.get("by_path") or {}).keys()),
        coverage=coverage,
        fixes={finding(f): fixed for f in data.get("findings") or [] if (fixed := fix(f)) is not None},
    )
