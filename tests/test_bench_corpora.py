"""The generated benchmark corpora for the new input formats (benchmarks/corpora.py): the same
seed writes the same bytes, and lambdalint reads every generated function without a parse
failure, so a throughput figure measured on them covers the whole corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .conftest import check_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpora import generate_serverless, generate_terraform_modules  # noqa: E402

SEED = 20240611


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("generate", [generate_serverless, generate_terraform_modules])
def test_same_seed_same_corpus(tmp_path, generate):
    generate(tmp_path / "a", 4, SEED)
    generate(tmp_path / "b", 4, SEED)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


@pytest.mark.parametrize("generate, kind", [(generate_serverless, "serverless"), (generate_terraform_modules, "terraform")])
def test_every_generated_function_is_found_and_linked(tmp_path, generate, kind):
    meta = generate(tmp_path, 12, SEED)
    data = check_json(tmp_path)
    functions = data["summary"]["functions"]
    assert functions["by_kind"] == {kind: meta["functions"]}
    assert functions["linked"] == meta["functions"]
    assert "LL001" not in data["summary"]["by_rule"]
    assert data["notices"] == []
    # the corpus exercises the config rules, not only the parsers
    assert {"LL202", "LL401"} <= set(data["summary"]["by_rule"])


def test_module_corpus_mixes_hcl_and_json_modules(tmp_path):
    meta = generate_terraform_modules(tmp_path, 12, SEED)
    assert 0 < meta["json_modules"] < 12
    assert len(list(tmp_path.glob("*/modules/fn/main.tf.json"))) == meta["json_modules"]
