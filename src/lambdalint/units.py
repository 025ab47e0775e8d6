"""Splitting a large sweep into units that can be built and checked one at a time.

Checking a tree as one project keeps every parsed document of every repository in memory
until the end. A unit is a set of files that cannot refer to files outside it, so it can be
built, checked and dropped on its own. Directory D is split into its subdirectories only
when that cannot change what a project sees:

- no template or Terraform file lies directly in D (a template there may point into any
  subdirectory: ``CodeUri: src/``);
- a stack template in a CDK cloud assembly (``app/cdk.out/``) keeps its app folder whole;
- a template or Terraform file that climbs out of its subdirectory with ``..`` (``CodeUri:
  ../shared``, ``source = "../../modules/x"``) keeps the subdirectory it points into in the
  same unit; one that points at D itself (``CodeUri: ..``) keeps D whole. Paths are read from
  the text, so the test errs towards keeping files together. A path that leaves the scanned
  tree altogether cannot reach another unit.

Trees below ``UNIT_FILES`` files are never split: a repository is checked as one project,
exactly as before; only sweeps over many repositories or very large trees are divided.
"""

from __future__ import annotations

import re

from .discover import PYTHON, TEMPLATE, SourceFile

UNIT_FILES = 500
# keys of the per-sweep cache that are no file: every file of the sweep, and its CDK source index
_FILES, _INDEX = "\0files", "\0index"
# a relative path that starts by climbing: "../x", "..\\x", "${path.module}/../../x", ".."
_CLIMB = re.compile(rb"""(?:^|(?<=[\s"'=:/]))((?:\.\.[/\\])*\.\.)(?=[/\\\s"']|$)(?:[/\\]([^\s"'/\\,)}\]$]+))?""", re.M)


def split_units(files: list[SourceFile]) -> list[list[SourceFile]]:
    """``files`` as units; each unit keeps the files in the order given."""
    return _split(files, 0, {_FILES: files})


def _split(files: list[SourceFile], depth: int, climbs: dict) -> list[list[SourceFile]]:
    if len(files) <= UNIT_FILES:
        return [files]
    here: list[SourceFile] = []
    buckets: dict[str, list[SourceFile]] = {}
    prefix = files[0].rel.split("/")[:depth]
    for f in files:
        parts = f.rel.split("/")
        if len(parts) <= depth + 1:
            if f.kind != PYTHON and _read(f, climbs)[0]:
                return [files]  # a template or .tf file here may use any subdirectory
            here.append(f)
        else:
            buckets.setdefault(parts[depth], []).append(f)
    here_names = {f.rel.rsplit("/", 1)[-1] for f in here}
    HERE = "\0here"  # the files directly in D, as one more bucket
    joined = _Joined()
    for name, bucket in buckets.items():
        for f in bucket:
            if f.kind == PYTHON:
                continue
            for target in _targets(f, climbs):
                if len(target) <= depth:
                    if target == prefix[: len(target)]:
                        return [files]  # it points at D (or above it, back into D): keep D whole
                    continue  # somewhere else in the tree: not inside D
                if target[:depth] != prefix:
                    continue
                other = target[depth]
                if other in buckets:
                    joined.union(name, other)
                elif other in here_names:
                    joined.union(name, HERE)
    groups: dict[str, list[str]] = {}
    for name in sorted(buckets):
        groups.setdefault(joined.find(name), []).append(name)
    units: list[list[SourceFile]] = []
    if here:
        together = groups.pop(joined.find(HERE), [])
        units.append(here + [f for name in together for f in buckets[name]])
    for names in sorted(groups.values()):
        if len(names) == 1:
            units.extend(_split(buckets[names[0]], depth + 1, climbs))
        else:
            units.append([f for name in names for f in buckets[name]])
    return units


def _targets(source: SourceFile, cache: dict) -> list[list[str]]:
    """Where the file's climbing paths lead, as path parts from the scan root (up to the first
    name after the climb). Paths that leave the scanned tree are left out."""
    return _read(source, cache)[1]


def _read(source: SourceFile, cache: dict) -> tuple[bool, list[list[str]]]:
    """(whether the file may be a template or Terraform file, its climbing paths' targets)."""
    found = cache.get(source.rel)
    if found is None:
        try:
            with open(source.path, "rb") as handle:
                data = handle.read()
        except OSError:
            data = b""
        config = _may_be_config(source, data)
        targets: list[list[str]] = []
        if config and b".." in data:
            directory = source.rel.split("/")[:-1]
            seen = set()
            for m in _CLIMB.finditer(data):
                up = m.group(1).count(b"..")
                name = (m.group(2) or b"").decode("utf-8", "replace")
                key = (up, name)
                if key in seen or up > len(directory):
                    continue
                seen.add(key)
                target = directory[: len(directory) - up]
                targets.append(target + [name] if name and name not in (".", "..") else target)
        parts = source.rel.split("/")
        if config and "cdk.out" in parts[:-1]:
            # a synthesized CDK stack's code is its app's source folders (matched by content,
            # formats/cdk/assets.py): the app folder holding cdk.out stays one unit, with every
            # folder its assets may be mapped to (fromAsset('../services/orders'))
            targets.append(parts[: parts.index("cdk.out")])
            targets += _asset_sources(source, cache)
        found = cache[source.rel] = (config, targets)
    return found


def _asset_sources(source: SourceFile, cache: dict) -> list[list[str]]:
    """The repository folders formats/cdk/assets.py may map the code assets of a synthesized
    stack to, as path parts from the scan root."""
    import posixpath

    from .documents.cdk_assembly import asset_paths
    from .formats.cdk.assets import SourceIndex

    index = cache.get(_INDEX)
    if index is None:
        base = source.path[: len(source.path) - len(source.rel)]
        index = cache[_INDEX] = SourceIndex(base, [f.rel for f in cache.get(_FILES, ())])
    folder = posixpath.dirname(source.rel)
    out: list[list[str]] = []
    for asset in asset_paths(source.path):
        asset_rel = posixpath.normpath(posixpath.join(folder, asset))
        if asset_rel.startswith("../") or posixpath.isabs(asset_rel) or asset.endswith(".json"):
            continue
        out += [copy.split("/") if copy != "." else [] for copy in sorted(index.choices(asset_rel))]
    return out


def _may_be_config(source: SourceFile, data: bytes) -> bool:
    """YAML/JSON that is no template (a package.json, a pattern description) is never read by
    the project layer, so it neither pins its directory nor points anywhere (``cd ..``)."""
    if source.kind != TEMPLATE or source.named_template:
        return True
    from .documents.cfn_yaml import looks_like_template

    return looks_like_template(data.decode("utf-8", "replace"))


class _Joined:
    """Union-find over bucket names."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, name: str) -> str:
        parent = self.parent.setdefault(name, name)
        if parent != name:
            parent = self.parent[name] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
