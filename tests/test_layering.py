"""Raw documents stay inside the format layer: a module outside ``documents/``, ``formats/`` and
``integrations/`` that imports the node types or a format's resolver reads CloudFormation or HCL
structures itself, the drift the readers and records exist to end (every import counts,
function-level ones too)."""

from __future__ import annotations

from .test_import_cycles import import_graph, imports_of, module_names

RAW = {
    "lambdalint.documents.nodes",  # Node / Block / Attribute / Expr: the parsed documents
    "lambdalint.formats.cloudformation.resolve",  # Template: the CloudFormation resolver
    "lambdalint.formats.terraform.resolve",  # Root: the Terraform resolver
}
# the layers whose job is raw documents: the parsers, the per-format readers, and bridges to
# other tools that hand us their own trees
INSIDE = ("lambdalint.documents", "lambdalint.formats", "lambdalint.integrations")

ALLOWED = {
    # orchestration: wraps each parsed document once (Template(doc), group_roots) and hands it
    # to the readers; it reads nothing itself
    "lambdalint.engine": "wraps documents for the readers",
    # concern modules that still read raw documents, until their lane moves them to formats/
    # (the lead removes each line when that lane is merged)
}


def _inside(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in INSIDE)


def raw_importers() -> dict[str, set[str]]:
    return {name: set(imports & RAW) for name, imports in import_graph().items() if not _inside(name) and imports & RAW}


def test_only_the_format_layer_reads_raw_documents():
    offenders = {name: sorted(raw) for name, raw in raw_importers().items() if name not in ALLOWED}
    assert offenders == {}, f"read records (formats/<format>/<concern>.py) instead of raw documents: {offenders}"


def test_the_allow_list_has_no_stale_entries():
    # a module that moved or no longer reads raw documents leaves the list: it must not come back
    stale = sorted(set(ALLOWED) - set(raw_importers()))
    assert stale == [], f"remove from ALLOWED in tests/test_layering.py: {stale}"


def test_the_check_sees_a_raw_import(tmp_path):
    # the walk itself: a function-level relative import of the resolver counts
    module = tmp_path / "rule.py"
    module.write_text("def check():\n    from ..formats.terraform.resolve import Root\n    return Root\n", encoding="utf-8")
    modules = module_names()
    modules["lambdalint.rules.fake"] = module
    assert imports_of("lambdalint.rules.fake", module, modules) & RAW == {"lambdalint.formats.terraform.resolve"}
