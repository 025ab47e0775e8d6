"""Which function a record's :class:`~lambdalint.records.FunctionRef` names, and the linker that
gives one document's functions their provisioned concurrency and published versions."""

from __future__ import annotations

import re
from typing import Iterable

from ..formats import arn
from ..project.model import Function, ProvisionedConcurrency, present, unknown
from ..records import FunctionRef
from ..records.functions import ProvisionedConcurrencyRecord, VersionRecord


def function_key(function: Function) -> str:
    """The function's key in its document: its logical ID, or its Terraform address (inside a
    local module instance, whose document is ``root#module.api``, without ``module.api.``)."""
    if function.kind.startswith("terraform"):
        key = function.address.split("#", 1)[1]
        _, sep, module_path = function.root.partition("#")
        if sep and key.startswith(module_path + "."):
            return key[len(module_path) + 1 :]
        return key
    return function.name


def module_keys(functions: list[Function]) -> dict[tuple[str, str], Function]:
    """``(caller document, "module.api")`` -> the only function a local Terraform module instance
    creates (its own, or in the modules it calls): what a caller's ``module.api.function_name``
    or ``module.api.lambda_function_arn`` stands for. A module creating several functions names
    none of them this way (which output is which is not read)."""
    found: dict[tuple[str, str], list[Function]] = {}
    for f in functions:
        top, sep, module_path = f.root.partition("#")
        if not (sep and f.kind.startswith("terraform")):
            continue
        # module.a.module.b / module.a["k"].module.b: each call and the instance address up to it
        steps = [(m.start(), m.group(1)) for m in re.finditer(r'(?:^|\.)module\.([A-Za-z0-9_-]+)(?:\["[^"\]]*"\])?', module_path)]
        for start, name in steps:
            caller = top if start == 0 else f"{top}#{module_path[:start]}"
            found.setdefault((caller, f"module.{name}"), []).append(f)
    return {k: v[0] for k, v in found.items() if len(v) == 1}


class FunctionIndex:
    """The project's functions by (document, key) and by (document, literal physical name)."""

    def __init__(self, functions: Iterable[Function]):
        functions = list(functions)
        self.by_key: dict[tuple[str, str], Function] = {}
        self.by_name: dict[tuple[str, str], Function] = {}
        for f in functions:
            self.by_key[(f.root, function_key(f))] = f
            name = f.physical_name
            if name is not None and name.is_set and isinstance(name.value, str):
                self.by_name.setdefault((f.root, name.value), f)
                # a physical name is the account's: a Terraform root names its modules' functions by it too
                self.by_name.setdefault((f.root.partition("#")[0], name.value), f)
        for key, f in module_keys(list(functions)).items():
            self.by_key.setdefault(key, f)

    def find(self, ref: FunctionRef | None) -> Function | None:
        """The function ``ref`` names within its own document, or None."""
        if ref is None:
            return None
        if ref.key is not None:
            return self.by_key.get((ref.document, ref.key))
        if ref.name is not None:
            parsed = arn.function_and_qualifier(ref.name)
            return self.by_name.get((ref.document, parsed[0])) if parsed is not None else None
        return None


def link_functions(records: Iterable) -> list[Function]:
    """The functions one document's reader found, with the provisioned concurrency and the
    versions its other records give them (records naming a function of another document, or of
    none, attach nothing)."""
    records = list(records)
    functions = [r for r in records if isinstance(r, Function)]
    index = FunctionIndex(functions)
    for record in records:
        if isinstance(record, ProvisionedConcurrencyRecord):
            function = index.find(record.function)
            if function is not None:
                function.provisioned.append(ProvisionedConcurrency(record.amount, record.qualifier, record.location, record.address, record.note, may_not_exist=record.may_not_exist))
    _attach_versions(index, functions, [r for r in records if isinstance(r, VersionRecord)])
    return functions


def _attach_versions(index: FunctionIndex, functions: list[Function], versions: list[VersionRecord]) -> None:
    """A version resource makes its function publish versions (located at the resource). One whose
    function cannot be told may publish any function of its document: each that publishes no
    version otherwise becomes unknown."""
    unresolved: dict[str, VersionRecord] = {}
    for version in versions:
        function = index.find(version.function)
        if function is None:
            if version.function.key is None:  # names nothing of the document (a key that is not a function is no version of one)
                unresolved.setdefault(version.function.document, version)
            continue
        if not (function.publishes_versions.is_set and function.publishes_versions.value):
            function.publishes_versions = present(True, version.location)
    for function in functions:
        version = unresolved.get(function.root)
        if version is not None and not (function.publishes_versions.known and function.publishes_versions.value):
            function.publishes_versions = unknown(version.location, version.source)
