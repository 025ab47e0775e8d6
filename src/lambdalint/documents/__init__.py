"""Parsers: one per kind of file, each returning a document or a ParseFailure, never raising."""
