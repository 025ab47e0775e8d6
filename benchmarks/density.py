#!/usr/bin/env python3
"""Syntax density of real handler modules, to calibrate the generated corpus of bench.py.

    python benchmarks/density.py DIR [DIR ...]

Reads every ``*.py`` under the directories that looks like a Lambda handler (it mentions
``lambda_handler``, ``def handler`` or ``(event, context)``) and has 100-400 lines, the size the
throughput target is stated for, and prints the medians bench.py prints for its own corpus:
AST nodes per line (what ast.parse's cost follows), comment and blank line shares, lines per
function. Standard library only; nothing is imported or executed from the files read.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import corpus_density  # noqa: E402


def handler_like(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.count("\n") + 1
    return 100 <= lines <= 400 and ("lambda_handler" in text or "def handler" in text or "(event, context)" in text)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    paths = sorted(p for d in argv for p in Path(d).rglob("*.py") if "test" not in p.name and handler_like(p))
    stats = corpus_density(paths)
    print(f"{stats['density_sample']} handler modules of 100-400 lines")
    print(f"AST nodes per line {stats['nodes_per_line']:.2f}; comment lines {stats['comment_share']:.0%}; blank lines {stats['blank_share']:.0%}; lines per function {stats['lines_per_function']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
