"""Precision and recall of LL101/LL102 against a hand-labelled corpus of real handlers.

The corpus is not part of the repository (it is other people's code): point this script at a
directory holding ``handlers/*.py`` and ``labels.json`` (a list of
``{"file", "handler", "constructions": [{"line", "kind", "per_invocation"}]}``).

    python benchmarks/corpus_eval.py /path/to/corpus [--verbose]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lambdalint.analysis import catalog
from lambdalint.analysis.scope import per_invocation
from lambdalint.documents.python import parse_python
from lambdalint.link.code import CodeTarget


def evaluate(corpus: Path, verbose: bool = False) -> dict:
    labels = json.loads((corpus / "labels.json").read_text())
    tp = fp = fn = 0
    wanted = catalog.CLIENTS | catalog.CONNECTIONS
    for entry in labels:
        path = corpus / "handlers" / entry["file"]
        doc, failure, _ = parse_python(str(path), entry["file"])
        expected = {c["line"] for c in entry["constructions"] if c["per_invocation"]}
        found: set[int] = set()
        if doc is not None:
            handler = entry["handler"] if entry["handler"] in doc.facts.functions else None
            handlers = [handler] if handler else doc.facts.handler_candidates()
            targets = [CodeTarget(doc, h) for h in handlers]
            found = {hit.use.line for hit in per_invocation(targets, lambda u: u.qualname in wanted)}
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if verbose and (found - expected or expected - found):
            print(f"{entry['file']}: false alarms at {sorted(found - expected)}, missed {sorted(expected - found)}")
    return {
        "files": len(labels),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    print(json.dumps(evaluate(args.corpus, args.verbose), indent=2))
