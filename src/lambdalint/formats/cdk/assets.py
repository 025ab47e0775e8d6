"""Where a CDK function's code lives in the repository.

``cdk synth`` copies each ``lambda.Code.fromAsset('functions/orders')`` folder verbatim into
``cdk.out/asset.<hash>/``. Code findings belong in the file the user edits, so an asset folder is
matched to the repository folder whose files are byte-identical to it (compared by content hash,
never by name alone); the best match is the folder holding the most of the asset's files, the
handler's module among them. When nothing matches (a bundled asset, or source edited since the
last synth) the asset folder itself is the code: findings then point into ``cdk.out``.
"""

from __future__ import annotations

import hashlib
import os
import posixpath

from ...documents.cdk_assembly import CODE_SUFFIXES, asset_code_files, in_assembly


class SourceIndex:
    """The scanned files outside any cloud assembly, by file name, with their content hashes
    computed on demand (once each)."""

    def __init__(self, root: str, files):
        self.root = root
        self.by_name: dict[str, list[str]] = {}
        for rel in sorted(files):
            if rel.endswith(CODE_SUFFIXES) and not in_assembly(rel):
                self.by_name.setdefault(posixpath.basename(rel), []).append(rel)
        self._hashes: dict[str, str | None] = {}
        self._matches: dict[tuple[str, str], str | None] = {}
        self._scored: dict[str, tuple[list[str], dict[str, set[str]]]] = {}

    def digest(self, path: str) -> str | None:
        if path not in self._hashes:
            try:
                with open(path, "rb") as handle:
                    self._hashes[path] = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                self._hashes[path] = None
        return self._hashes[path]

    def source_folder(self, asset_rel: str, handler_file: str) -> str | None:
        """The repository folder an asset folder (``cdk.out/asset.<hash>``, relative to the scan
        root) was copied from, or None. ``handler_file`` (``app.py``, relative to the asset) must
        be among the matched files when the asset holds it."""
        key = (asset_rel, handler_file)
        if key not in self._matches:
            self._matches[key] = self._match(asset_rel, handler_file)
        return self._matches[key]

    def choices(self, asset_rel: str) -> set[str]:
        """Every folder :meth:`source_folder` may choose for this asset, whatever the handler."""
        inner, scores = self._scores(asset_rel)
        handlers = {""} | {name for names in scores.values() for name in names}
        return {folder for folder in (self._best(asset_rel, inner, scores, h) for h in sorted(handlers)) if folder is not None}

    def _match(self, asset_rel: str, handler_file: str) -> str | None:
        inner, scores = self._scores(asset_rel)
        return self._best(asset_rel, inner, scores, handler_file)

    @staticmethod
    def _best(asset_rel: str, inner: list[str], scores: dict[str, set[str]], handler_file: str) -> str | None:
        if handler_file in inner:
            scores = {folder: names for folder, names in scores.items() if handler_file in names}
        if not scores:
            return None
        # the folder the most files came from; among equals the one nearest the assembly (the
        # CDK app's own folder before a copy of the app elsewhere), then the first path (stable)
        app = asset_rel.split("/")
        return min(scores, key=lambda folder: (-len(scores[folder]), -_shared(folder.split("/"), app), len(folder), folder))

    def _scores(self, asset_rel: str) -> tuple[list[str], dict[str, set[str]]]:
        """The asset's code files (relative to it) and, per repository folder, which of them it
        holds byte-identical copies of (computed once per asset)."""
        if asset_rel not in self._scored:
            self._scored[asset_rel] = self._score(asset_rel)
        return self._scored[asset_rel]

    def _score(self, asset_rel: str) -> tuple[list[str], dict[str, set[str]]]:
        asset = os.path.join(self.root, asset_rel)
        inner = [posixpath.relpath(p.replace(os.sep, "/"), asset.replace(os.sep, "/")) for p in asset_code_files(asset)]
        scores: dict[str, set[str]] = {}
        for name in inner:
            candidates = self.by_name.get(posixpath.basename(name), ())
            if not candidates:
                continue
            wanted = self.digest(os.path.join(asset, name))
            if wanted is None:
                continue
            for rel in candidates:
                if rel != name and not rel.endswith("/" + name):
                    continue  # same file name, another place in the package
                if self.digest(os.path.join(self.root, rel)) == wanted:
                    folder = rel[: -len(name)].rstrip("/") or "."
                    scores.setdefault(folder, set()).add(name)
        return inner, scores


def _shared(a: list[str], b: list[str]) -> int:
    """How many leading path parts ``a`` and ``b`` have in common."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n
