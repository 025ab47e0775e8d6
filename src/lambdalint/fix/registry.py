"""Which rules can fix their findings, and computing the fixes of a run's findings.

A fixer is ``fixer(finding, text) -> Fix | Declined | None`` (None: nothing to offer, no
explanation needed). Fixers are named here as ``module:function`` and imported only when a
finding of their rule is being fixed, so libcst loads only then. A new fixable rule is one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .model import Declined, Edit, Fix

FIXERS = {
    "LL101": "python_hoist:fix_client",
    "LL102": "python_hoist:fix_connection",
    "LL103": "python_cache:fix_config_fetch",
    "LL201": "config_text:fix_publish_alias",
    "LL202": "config_snippets:snippet_autoscaling",
    "LL203": "config_snippets:snippet_target_utilization",
    "LL212": "config_text:fix_publish_alias",
    "LL302": "config_snippets:snippet_memory",
    "LL304": "config_snippets:snippet_timeout",
    "LL306": "config_text:fix_runtime",
    "LL401": "config_snippets:snippet_reserved",
    "LL404": "config_snippets:snippet_on_failure",
    "LL405": "config_text:fix_tracing",
    "LL406": "config_text:fix_batch_failures",
}
# the config_snippets fixers are display-only: a suggestion with values the author must choose


def fixer_for(rule_id: str):
    spec = FIXERS.get(rule_id)
    if spec is None:
        return None
    import importlib

    module_name, _, function = spec.partition(":")
    if "." not in module_name:  # a fixer of this package; a dotted name is any importable module
        module_name = f"{__package__}.{module_name}"
    return getattr(importlib.import_module(module_name), function)


@dataclass(frozen=True)
class SourceText:
    """A file's text as fixers see it, and what is needed to write it back byte for byte."""

    text: str
    encoding: str
    bom: bytes

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)

    def byte_offset(self, char_offset: int) -> int:
        return len(self.bom) + len(self.text[:char_offset].encode(self.encoding))


def read_source(path: str) -> SourceText | None:
    from ..documents.source import decode, python_encoding

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    encoding = python_encoding(data) if path.endswith(".py") else "utf-8"
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") and encoding.lower().replace("_", "-") in ("utf-8", "utf8") else b""
    text, failure = decode(data, path, encoding)
    if failure or text is None:
        return None
    return SourceText(text, encoding, bom)


def compute_fixes(findings, root) -> dict:
    """Finding -> Fix or Declined, for findings of fixable rules in files that parse. Edits get
    their byte offsets filled in (SARIF and JSON report exact byte ranges)."""
    broken = {f.location.path for f in findings if f.rule_id == "LL001"}
    out: dict = {}
    texts: dict[str, SourceText | None] = {}
    for finding in findings:
        if finding.rule_id not in FIXERS or finding.suppression:
            continue
        path = finding.location.path
        if FIXERS[finding.rule_id].startswith("python_") and not path.endswith((".py", ".pyw")):
            continue  # the code fixers rewrite Python; a JavaScript or Java finding has no fix yet
        if path in broken:
            out[finding] = Declined("the file does not parse, so it is never fixed")
            continue
        if "cdk.out" in path.split("/")[:-1]:
            # the next `cdk synth` rewrites it: the fix belongs in the CDK app's code
            out[finding] = Declined("cdk.out is written by cdk synth, so it is never edited; change the construct in the CDK app")
            continue
        if path not in texts:
            texts[path] = read_source(os.path.join(str(root), path))
        source = texts[path]
        if source is None:
            continue
        try:
            offered = fixer_for(finding.rule_id)(finding, source.text)
        except Exception as exc:  # noqa: BLE001 - a fixer bug must not lose the report
            offered = Declined(f"the fixer failed ({type(exc).__name__}: {exc})")
        if isinstance(offered, Fix):
            offered = with_byte_offsets(offered, source)
        if offered is not None:
            out[finding] = offered
    return out


def with_byte_offsets(fix: Fix, source: SourceText) -> Fix:
    edits = tuple(
        Edit(e.start, e.end, e.replacement, source.byte_offset(e.start), source.byte_offset(e.end)) for e in fix.edits
    )
    return Fix(fix.path, edits, fix.applicability, fix.description, fix.reveals)
