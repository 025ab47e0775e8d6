"""``lambdalint merge``: per-repository shards of a sweep combine into exactly the report one run
over all repositories writes (JSON, HTML, text, SARIF), and shards that do not belong together
are refused with a clear error."""

from __future__ import annotations

import json

import pytest

from lambdalint.merge import MergeError, merge_summary

from .conftest import run_cli
from .sweep import build_sweep


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    names = build_sweep(root)
    assert len(names) == 7
    return root, names


def _run(root, *args) -> str:
    code, out = run_cli([*args, "--fail-on", "never"] if args[0] == "check" else list(args), cwd=root)
    assert code == 0, out
    return out


def _shards(root, names, fmt="json", *extra) -> list[str]:
    paths = []
    for name in names:
        path = root / f"{name}.{fmt}"
        _run(root, "check", name, "--format", fmt, "-o", str(path), *extra)
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("fmt", ["json", "html", "text", "sarif"])
def test_merged_json_shards_equal_one_run_over_all_repositories(sweep, fmt):
    root, names = sweep
    single = _run(root, "check", *names, "--format", fmt)
    # shards given in another order than the single run's paths: merge sorts like a run does
    # SARIF carries each finding's fix: JSON shards hold them when written with --show-fixes
    shards = list(reversed(_shards(root, names, "json", *(["--show-fixes"] if fmt == "sarif" else []))))
    merged = _run(root, "merge", *shards, "--format", fmt)
    assert merged == single
    if fmt == "json":
        data = json.loads(merged)
        assert data["summary"]["findings"] > 30 and len(data["functions"]) == 30
        assert sorted(data["summary"]["by_path"]) == sorted(names)


def test_merged_sarif_shards_equal_one_run(sweep):
    root, names = sweep
    single = _run(root, "check", *names, "--format", "sarif")
    merged = _run(root, "merge", *_shards(root, names, "sarif"), "--format", "sarif")
    assert merged == single


def test_merge_with_jobs_and_output_file(sweep):
    root, names = sweep
    single = _run(root, "check", *names[:4], "--format", "json", "--jobs", "2")
    shards = _shards(root, names[:4], "json", "--jobs", "2")
    _run(root, "merge", *shards, "-o", str(root / "merged.json"))
    assert (root / "merged.json").read_text(encoding="utf-8") == single


def _error(root, *args) -> str:
    code, out = run_cli(list(args), cwd=root)
    assert code == 2, out
    return out


def test_refuses_shards_of_different_versions(sweep):
    root, names = sweep
    a, b = _shards(root, names[:2])
    data = json.loads(open(b, encoding="utf-8").read())
    data["tool"]["version"] = "0.0.1"
    old = root / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    out = _error(root, "merge", a, str(old))
    assert "different lambdalint versions" in out and "0.0.1" in out


def test_refuses_shards_of_different_configurations(sweep):
    root, names = sweep
    (a,) = _shards(root, names[:1])
    other = root / "selected.json"
    _run(root, "check", names[1], "--format", "json", "--select", "LL1", "-o", str(other))
    assert "different configurations" in _error(root, "merge", a, str(other))
    (root / "strict.toml").write_text('ignore = ["LL302"]\n', encoding="utf-8")
    configured = root / "configured.json"
    _run(root, "check", names[1], "--format", "json", "--config", "strict.toml", "-o", str(configured))
    assert "different configurations" in _error(root, "merge", a, str(configured))


def test_refuses_overlapping_mixed_or_foreign_shards(sweep):
    root, names = sweep
    (a,) = _shards(root, names[:1])
    assert "shards overlap" in _error(root, "merge", a, a)
    (s,) = _shards(root, names[1:2], "sarif")
    assert "mix JSON and SARIF" in _error(root, "merge", a, s)
    assert "SARIF shards merge into SARIF only" in _error(root, "merge", s, "--format", "html")
    junk = root / "junk.json"
    junk.write_text('{"hello": 1}', encoding="utf-8")
    assert "neither a lambdalint JSON report" in _error(root, "merge", str(junk))
    broken = root / "broken.json"
    broken.write_text('{"schema_version": ', encoding="utf-8")
    assert "not JSON" in _error(root, "merge", str(broken))
    truncated = json.loads(open(a, encoding="utf-8").read())
    del truncated["findings"][0]["path"]
    (root / "truncated.json").write_text(json.dumps(truncated), encoding="utf-8")
    assert "'findings' is not a list of lambdalint findings" in _error(root, "merge", str(root / "truncated.json"))
    sarif = json.loads(open(s, encoding="utf-8").read())
    del sarif["runs"][0]["results"][0]["message"]
    (root / "bad.sarif").write_text(json.dumps(sarif), encoding="utf-8")
    assert "not a complete lambdalint SARIF log" in _error(root, "merge", str(root / "bad.sarif"), "--format", "sarif")
    old = json.loads(open(a, encoding="utf-8").read())
    del old["config"]
    (root / "noconfig.json").write_text(json.dumps(old), encoding="utf-8")
    assert "no configuration fingerprint" in _error(root, "merge", str(root / "noconfig.json"))


def test_summary_counters_merge_without_knowing_their_names():
    """A counter another part of lambdalint adds later (here a made-up functions block) sums
    like the known ones; sorted keyed counts stay sorted, fixed-order ones keep their order."""
    a = {"files": 2, "by_level": {"error": 1, "warning": 0, "note": 3}, "by_rule": {"LL101": 1, "LL302": 3},
         "functions": {"found": 3, "linked": 2, "by_kind": {"sam": 3}}, "baseline": None}
    b = {"files": 5, "by_level": {"error": 0, "warning": 2, "note": 0}, "by_rule": {"LL002": 2},
         "functions": {"found": 1, "linked": 1, "by_kind": {"terraform": 1}}, "baseline": None}
    merged = merge_summary([a, b])
    assert merged == {"files": 7, "by_level": {"error": 1, "warning": 2, "note": 3}, "by_rule": {"LL002": 2, "LL101": 1, "LL302": 3},
                      "functions": {"found": 4, "linked": 3, "by_kind": {"sam": 3, "terraform": 1}}, "baseline": None}
    assert list(merged["by_level"]) == ["error", "warning", "note"]
    assert list(merged["by_rule"]) == ["LL002", "LL101", "LL302"]
    assert merge_summary([{"baseline": {"matched": 1, "fixed": 0}}, {"baseline": {"matched": 2, "fixed": 1}}]) == {"baseline": {"matched": 3, "fixed": 1}}
    with pytest.raises(MergeError):
        merge_summary([{"mode": "a"}, {"mode": "b"}])
