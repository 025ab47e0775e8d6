"""The parse stage: one source file in, one document (or a failure) out. Runs in workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..discover import JAVA, JAVASCRIPT, PYTHON, SERVERLESS, TEMPLATE, TERRAFORM, SourceFile
from ..findings import Notice, ParseFailure


@dataclass
class Parsed:
    source: SourceFile
    document: Any = None  # PythonDocument | ScriptDocument | JavaDocument | TemplateDocument | ServerlessDocument | TerraformDocument | None
    failure: ParseFailure | None = None
    notices: list[Notice] = field(default_factory=list)


def parse_source(source: SourceFile, extra_roots: frozenset = frozenset(), package_names: frozenset = frozenset()) -> Parsed:
    try:
        if source.kind == PYTHON:
            from .python import parse_python

            doc, failure, notices = parse_python(source.path, source.rel, extra_roots, package_names)
            return Parsed(source, doc, failure, notices)
        if source.kind == JAVASCRIPT:
            from .javascript import parse_script

            doc, failure = parse_script(source.path, source.rel)
            return Parsed(source, doc, failure)
        if source.kind == JAVA:
            from .java import parse_java

            doc, failure = parse_java(source.path, source.rel)
            return Parsed(source, doc, failure)
        if source.kind == TEMPLATE:
            from .templates import parse_template

            doc, failure = parse_template(source.path, source.rel, source.named_template)
            return Parsed(source, doc, failure)
        if source.kind == SERVERLESS:
            from .serverless import parse_serverless

            doc, failure = parse_serverless(source.path, source.rel)
            return Parsed(source, doc, failure)
        if source.kind == TERRAFORM:
            from .terraform import parse_tf

            doc, failure = parse_tf(source.path, source.rel)
            return Parsed(source, doc, failure)
    except Exception as exc:  # a parser bug must not lose the rest of the run
        return Parsed(source, None, ParseFailure(source.rel, 1, 1, f"internal error while parsing ({type(exc).__name__}: {exc})"))
    return Parsed(source)
