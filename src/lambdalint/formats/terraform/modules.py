"""Local Terraform modules: ``module "api" { source = "./modules/fn" ... }`` read with the inputs
the call passes, as Terraform would instantiate it.

Each folder of ``.tf`` files is a root unless a root of the scan calls it as a local module: then
it is read only as *module instances*, one per call, with its variables bound to the call's
inputs (checking it on its own with its raw defaults would report values no deployment has,
as checkov and tfsec also avoid). A folder no root calls is still checked as a root. Calls are
followed recursively, up to ``MAX_DEPTH`` levels and never into a module already on the way
(a loop); each stop is a notice at the module call.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ...documents.nodes import Block
from ...documents.terraform import TerraformDocument
from ...findings import Finding, Location, Notice, Related
from ..values import is_absolute
from .resolve import UNRESOLVED, Root

MAX_DEPTH = 8  # nested module calls followed; deeper ones get a notice
MAX_INSTANCES = 500  # module instances per root: calls fanning out level after level stop here
# arguments of a module block that are Terraform's, not inputs of the module
META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


def local_source(directory: str, block: Block) -> str | None:
    """The folder (relative to the scan root) a ``module`` block's local ``source`` names, or None
    when the source is not a local path (registry, git, S3...) or leaves the scanned tree."""
    if block.type != "module" or len(block.labels) != 1:
        return None
    attr = block.attr("source")
    value = attr.value if attr is not None else None
    if not is_local_path(value):
        return None
    value = value.replace("\\", "/")
    if is_absolute(value):
        return None
    joined = posixpath.normpath(posixpath.join(directory, value)) if directory else posixpath.normpath(value)
    if joined == ".":
        return ""
    return None if joined.startswith("..") else joined


def is_local_path(value) -> bool:
    """Whether a module ``source`` is a local path (Terraform's rule: it starts with ./ or ../)."""
    return isinstance(value, str) and (value in (".", "..") or value.startswith(("./", "../", ".\\", "..\\")))


# what tells a folder is a copy of terraform-aws-modules/lambda (vendored, or the module's own
# examples calling "../../"): its function resource and inputs only that module declares together
_LAMBDA_MODULE_VARIABLES = frozenset({"source_path", "create_async_event_config", "allowed_triggers", "event_source_mapping"})


def lambda_module_dirs(docs: list[TerraformDocument]) -> frozenset[str]:
    """The folders that hold a copy of the terraform-aws-modules/lambda module. A local call to one
    is read from its inputs, as the registry source is: its raw resources, built from those inputs
    by for_each and dynamic blocks, would lose the code path, triggers and event sources."""
    resources: dict[str, bool] = defaultdict(bool)
    variables: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        directory = posixpath.dirname(doc.path)
        for block in doc.blocks:
            if block.type == "resource" and block.labels == ["aws_lambda_function", "this"]:
                resources[directory] = True
            elif block.type == "variable" and len(block.labels) == 1:
                variables[directory].add(block.labels[0])
    return frozenset(d for d in resources if _LAMBDA_MODULE_VARIABLES <= variables[d])


# what tells a folder is a copy of its //modules/alias submodule: both aliases (refresh or not)
# and the inputs only that submodule declares together
_ALIAS_MODULE_VARIABLES = frozenset({"function_name", "refresh_alias", "use_existing_alias", "event_source_mapping", "allowed_triggers"})


def alias_module_dirs(docs: list[TerraformDocument]) -> frozenset[str]:
    """The folders that hold a copy of the lambda module's ``//modules/alias`` submodule: a local
    call to one is read from its inputs, as the registry source is (callers.py)."""
    aliases: dict[str, set[str]] = defaultdict(set)
    variables: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        directory = posixpath.dirname(doc.path)
        for block in doc.blocks:
            if block.type == "resource" and block.labels[:1] == ["aws_lambda_alias"] and len(block.labels) == 2:
                aliases[directory].add(block.labels[1])
            elif block.type == "variable" and len(block.labels) == 1:
                variables[directory].add(block.labels[0])
    return frozenset(d for d in aliases if {"no_refresh", "with_refresh"} <= aliases[d] and _ALIAS_MODULE_VARIABLES <= variables[d])


@dataclass(frozen=True)
class Stop:
    """A local module call that is not followed, and why (a notice at the call)."""

    path: str
    line: int
    message: str


def _calls(docs: list[TerraformDocument]) -> dict[str, set[str]]:
    """folder -> the folders of the scan its module blocks call."""
    out: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        directory = posixpath.dirname(doc.path)
        for block in doc.blocks:
            target = local_source(directory, block)
            if target is not None and target != directory:
                out[directory].add(target)
    return out


def top_folders(docs: list[TerraformDocument]) -> list[str]:
    """The folders read as roots: every folder of ``.tf`` files that no root of the scan calls as a
    local module. Folders that only call each other in a loop are roots too (nothing else would
    read them)."""
    folders = sorted({posixpath.dirname(d.path) for d in docs})
    calls = _calls(docs)
    called = {t for targets in calls.values() for t in targets}
    tops = [f for f in folders if f not in called]
    reached = set(tops)
    stack = list(tops)
    while stack:
        for target in calls.get(stack.pop(), ()):
            if target not in reached:
                reached.add(target)
                stack.append(target)
    # a loop of folders that no root reaches: its smallest folder is read as a root, then again
    for folder in folders:
        if folder in reached:
            continue
        tops.append(folder)
        reached.add(folder)
        stack = [folder]
        while stack:
            for target in calls.get(stack.pop(), ()):
                if target not in reached:
                    reached.add(target)
                    stack.append(target)
    return sorted(tops)


# the last expansion, kept with its documents (so their ids cannot be reused): the engine asks
# for the roots, the call sites and the stops of the same documents in turn
_last: tuple = ((), None)


def _expand(docs: list[TerraformDocument]) -> tuple[list[Root], list[Stop]]:
    global _last
    key = tuple(id(d) for d in docs)
    if _last[0] == key and _last[1] is not None:
        return _last[1]
    by_dir: dict[str, list[TerraformDocument]] = defaultdict(list)
    for doc in docs:
        by_dir[posixpath.dirname(doc.path)].append(doc)
    out = []
    found: list[Stop] = []
    copies, alias_copies = lambda_module_dirs(docs), alias_module_dirs(docs)
    for folder in top_folders(docs):
        root = Root(folder, by_dir[folder])
        root.lambda_module_dirs, root.alias_module_dirs = copies, alias_copies
        root.instances = list(_instances(root, by_dir, (folder,), found, [0]))
        out.append(root)
    result = (out, sorted(set(found), key=lambda s: (s.path, s.line, s.message)))
    _last = (key, result, list(docs))
    return result


def plain_roots(docs: list[TerraformDocument]) -> list[Root]:
    """Every folder of ``.tf`` files as a root of its own, no module call followed (what is left
    when following them failed)."""
    by_dir: dict[str, list[TerraformDocument]] = defaultdict(list)
    for doc in docs:
        by_dir[posixpath.dirname(doc.path)].append(doc)
    return [Root(folder, by_dir[folder]) for folder in sorted(by_dir)]


def roots(docs: list[TerraformDocument]) -> list[Root]:
    """Every root of the scan, each with its module instances (``Root.instances``, depth first)."""
    return _expand(docs)[0]


def stops(docs: list[TerraformDocument]) -> list[Stop]:
    """The local module calls that are not followed: loops, calls nested too deep or fanning out
    too far, folders that are not in the scan (each once, at the call)."""
    return _expand(docs)[1]


def _instances(caller: Root, by_dir: dict, chain: tuple[str, ...], stopped: list[Stop], made: list[int]):
    """The module instances ``caller`` creates, depth first, each followed by its own; ``made``
    counts the root's instances so far."""
    for path, block in caller.blocks:
        target = local_source(caller.dir, block)
        if target is None:
            source = block.attr("source") if block.type == "module" and len(block.labels) == 1 else None
            if source is not None and is_local_path(source.value):  # a local path leaving the scan
                stopped.append(Stop(path, block.line, f"{caller.module_path}module.{block.labels[0]} calls {source.value}, a folder outside the scanned tree: Lambda functions it creates are not checked"))
            continue
        if target in caller.lambda_module_dirs or target in caller.alias_module_dirs:
            continue  # a copy of the lambda module or its alias submodule: read from the call's inputs
        name = block.labels[0]
        address = f"{caller.module_path}module.{name}"
        if target not in by_dir:
            stopped.append(Stop(path, block.line, f"{address} calls {block.attr('source').value}, which holds no .tf file in the scanned tree: Lambda functions it creates are not checked"))
            continue
        if target in chain:
            stopped.append(Stop(path, block.line, f"{address} calls {target or '.'}, a module already being read on the way here (a loop): not followed"))
            continue
        if len(chain) > MAX_DEPTH:
            stopped.append(Stop(path, block.line, f"{address}: modules nested more than {MAX_DEPTH} levels deep are not followed"))
            continue
        for each in _elements(caller, block):
            if made[0] >= MAX_INSTANCES:
                stopped.append(Stop(path, block.line, f"{address}: the root {chain[0] or '.'} already creates {MAX_INSTANCES} module instances; further ones are not followed"))
                break
            made[0] += 1
            instance_address = address if each is None else f'{address}["{each[0]}"]'
            caller.each = each
            try:
                inputs: dict[str, Any] = {k: caller.resolve(a.value) for k, a in block.attributes.items() if k not in META_ARGUMENTS}
            finally:
                caller.each = None
            instance = Root(
                target,
                by_dir[target],
                inputs=inputs,
                module_path=f"{instance_address}.",
                document=f"{chain[0]}#{instance_address}",
                calls=caller.calls + ((path, block),),
                conditional=caller.may_not_exist(block),
                base=caller.base,
            )
            instance.lambda_module_dirs, instance.alias_module_dirs = caller.lambda_module_dirs, caller.alias_module_dirs
            if each is None:  # with for_each, a map written at the call is not one element's
                instance.passed = {k: (caller, path, a) for k, a in block.attributes.items() if k not in META_ARGUMENTS}
            yield instance
            yield from _instances(instance, by_dir, chain + (target,), stopped, made)


def _elements(caller: Root, block: Block) -> list:
    """``[None]`` for one instance, or the (each.key, each.value) of every element of a for_each
    that resolves to a map or a set of strings (Terraform's module.x["key"] instances). An
    unresolvable for_each is one instance whose values are what every element shares."""
    attr = block.attr("for_each")
    if attr is None:
        return [None]
    value = caller.resolve(attr.value)
    written = getattr(attr.value, "text", "")
    m = re.fullmatch(r'toset\(\[((?:\s*"[^"\\$%]*"\s*,?)*)\]\)', written.strip()) if isinstance(written, str) else None
    if m:  # toset(["dev", "prod"]): the common literal set
        value = re.findall(r'"([^"]*)"', m.group(1))
    if isinstance(value, dict) and value:
        return [(str(k), v) for k, v in sorted(value.items())]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [(v, v) for v in sorted(set(value))]
    return [None]


def call_sites(docs: list[TerraformDocument]) -> dict[tuple[str, str], tuple[Related, ...]]:
    """(module folder, module address ``module.api.``) -> the module blocks that create that
    instance, innermost first: the related locations of a finding inside it. One folder called
    under the same address by two roots gets both calls."""
    out: dict[tuple[str, str], list[Related]] = defaultdict(list)
    for root in roots(docs):
        for instance in root.instances:
            path, block = instance.calls[-1]
            for call_path, call in reversed(instance.calls):
                related = Related(Location(call_path, call.line, call.column), f"module.{call.labels[0]} is called here (from {posixpath.dirname(call_path) or '.'})")
                key = (instance.dir, instance.module_path)
                if related not in out[key]:
                    out[key].append(related)
    return {k: tuple(v) for k, v in out.items()}


def with_call_sites(findings: list[Finding], sites: dict[tuple[str, str], tuple[Related, ...]]) -> list[Finding]:
    """Findings about a resource of a module instance gain the module calls as related locations
    (the subject is the resource's address, ``modules/fn/main.tf#module.api.aws_lambda_function.this``);
    the same finding reached through several calls is reported once, with every call."""
    if not sites:
        return findings
    from dataclasses import replace

    merged: dict[tuple, Finding] = {}
    out: list[Finding] = []
    for finding in findings:
        extra = _sites_of(finding, sites)
        if not extra:
            out.append(finding)
            continue
        key = (finding.rule_id, finding.location, finding.message, finding.subject)
        before = merged.get(key)
        if before is None:
            finding = replace(finding, related=finding.related + tuple(r for r in extra if r not in finding.related))
            merged[key] = finding
            out.append(finding)
        else:
            more = tuple(r for r in extra if r not in before.related)
            if more:
                updated = replace(before, related=before.related + more)
                merged[key] = updated
                out[out.index(before)] = updated
    return out


_MODULE_ADDRESS = re.compile(r'\b(?:module\.[A-Za-z0-9_-]+(?:\["[^"\]]*"\])?\.)+')


def _sites_of(finding: Finding, sites: dict[tuple[str, str], tuple[Related, ...]]) -> tuple[Related, ...]:
    """The calls of the module instance the finding's subject is in, and of every other instance
    its message names at the same place (one public URL resource of a module called three times)."""
    path, sep, key = finding.subject.partition("#")
    if not sep:
        return ()
    folders = {posixpath.dirname(path), posixpath.dirname(finding.location.path)}
    out: list[Related] = []
    for text in [key, *(m.group(0) for m in _MODULE_ADDRESS.finditer(finding.message))]:
        if not text.startswith("module."):
            continue
        # the longest module address the text starts with (module.a.module.b. before module.a.)
        best: tuple[Related, ...] = ()
        best_len = -1
        for (module_dir, module_path), related in sites.items():
            if module_dir in folders and text.startswith(module_path) and len(module_path) > best_len:
                best, best_len = related, len(module_path)
        out += [r for r in best if r not in out]
    return tuple(out)


def stop_notices(docs: list[TerraformDocument]) -> list[Notice]:
    return [Notice(s.path, s.line, s.message, "note") for s in stops(docs)]


__all__ = ["MAX_DEPTH", "UNRESOLVED", "alias_module_dirs", "call_sites", "lambda_module_dirs", "local_source", "plain_roots", "roots", "stop_notices", "stops", "top_folders", "with_call_sites"]
