"""Parsing in worker processes, surviving workers that die.

A worker can die without raising: the kernel's OOM killer, a SIGKILL, a crash inside a C
extension (tree-sitter, libyaml). ``concurrent.futures`` then fails every unfinished task of
the pool with ``BrokenProcessPool``. Instead of losing the run, the files of the unfinished
tasks are parsed again one at a time in a fresh single-worker process: a file that kills that
worker too is the culprit and becomes an LL001 finding; every other file is parsed normally.
"""

from __future__ import annotations

from concurrent.futures import BrokenExecutor
from typing import Iterable, Iterator

from .discover import SourceFile
from .documents.parse import Parsed, parse_source
from .findings import ParseFailure

PARALLEL_THRESHOLD = 16  # below this, starting workers costs more than it saves
CRASH_REASON = "the parser crashed on this file (its worker process died); the file was not analysed"


def _parse_chunk(files: list[SourceFile], extra_roots: frozenset, package_names: frozenset = frozenset()) -> list[Parsed]:
    return [parse_source(f, extra_roots, package_names) for f in files]


def crashed(source: SourceFile) -> Parsed:
    return Parsed(source, None, ParseFailure(source.rel, 1, 1, CRASH_REASON))


class ParsePool:
    """Parses lists of files, in ``jobs`` worker processes when that pays. One pool serves
    the whole run (starting processes per batch would cost more than small batches parse)."""

    def __init__(self, jobs: int, extra_roots: frozenset = frozenset(), package_names: frozenset = frozenset(), progress=None):
        self.jobs = jobs
        self.extra_roots = extra_roots
        self.package_names = package_names  # the scanned tree's module names (analysis.package)
        # ``progress.advance(done, total)`` is called as files are parsed (a terminal's bar)
        self._advance = getattr(progress, "advance", None)
        self._done = 0
        self._total = 0
        self._pool = None

    def expect(self, total: int) -> None:
        """How many files the run will parse, for the progress bar."""
        self._total = total

    def _parsed(self, count: int) -> None:
        self._done += count
        if self._advance is not None:
            self._advance(self._done, max(self._total, self._done))

    def __enter__(self) -> "ParsePool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self, workers: int | None = None):
        from concurrent.futures import ProcessPoolExecutor

        if workers is not None:
            return ProcessPoolExecutor(max_workers=workers)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        return self._pool

    def parse(self, files: list[SourceFile]) -> list[Parsed]:
        """Every file parsed, in the order given."""
        return self._collect(self._submit(files))

    def parse_units(self, units: list[list[SourceFile]], wave: int = 0) -> Iterator[list[Parsed]]:
        """Each unit's parsed files, unit by unit. Small units are parsed together in waves of
        about ``wave`` files so the workers stay busy, and the next wave is parsed while the
        caller checks this one: memory holds two waves, never the whole sweep."""
        waves = _waves(units, wave or max(PARALLEL_THRESHOLD, self.jobs * 64))
        group = next(waves, None)
        pending = self._submit([f for unit in group for f in unit]) if group else None
        while group is not None:
            parsed = self._collect(pending)
            current, group = group, next(waves, None)
            if group is not None:
                pending = self._submit([f for unit in group for f in unit])
            at = 0
            for unit in current:
                yield parsed[at : at + len(unit)]
                at += len(unit)
            del parsed

    def _submit(self, files: list[SourceFile]) -> tuple:
        if self.jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
            return files, None, None  # parsed in this process when collected
        size = max(1, len(files) // (self.jobs * 8))
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        futures = []
        for chunk in chunks:
            try:
                futures.append(self._executor().submit(_parse_chunk, chunk, self.extra_roots, self.package_names))
            except BrokenExecutor:  # a worker died while we were still submitting
                futures.append(None)
        return files, chunks, futures

    def _collect(self, pending: tuple) -> list[Parsed]:
        files, chunks, futures = pending
        if chunks is None:
            out = []
            for source in files:
                out.extend(_parse_chunk([source], self.extra_roots, self.package_names))
                self._parsed(1)
            return out
        out: list[Parsed] = []
        lost: list[SourceFile] = []
        for chunk, future in zip(chunks, futures):
            try:
                if future is None:
                    raise BrokenExecutor
                out.extend(future.result())
                self._parsed(len(chunk))
            except BrokenExecutor:
                lost.extend(chunk)
        if lost:
            self._discard_pool()
            out.extend(self._isolate(lost))
            order = {f.rel: i for i, f in enumerate(files)}
            out.sort(key=lambda p: order[p.source.rel])
        return out

    def _discard_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _isolate(self, files: list[SourceFile]) -> list[Parsed]:
        """Parse ``files`` one at a time in one worker, replaced whenever it dies."""
        out: list[Parsed] = []
        pool = None
        try:
            for source in files:
                if pool is None:
                    pool = self._executor(workers=1)
                try:
                    out.extend(pool.submit(_parse_chunk, [source], self.extra_roots, self.package_names).result())
                except BrokenExecutor:
                    out.append(crashed(source))
                    pool.shutdown(wait=True)
                    pool = None
                self._parsed(1)
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        return out


def _waves(units: Iterable[list[SourceFile]], size: int) -> Iterator[list[list[SourceFile]]]:
    group: list[list[SourceFile]] = []
    count = 0
    for unit in units:
        group.append(unit)
        count += len(unit)
        if count >= size:
            yield group
            group, count = [], 0
    if group:
        yield group
