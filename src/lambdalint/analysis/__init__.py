"""Handler-code analysis on the standard library's ``ast``: one pass per module, shared by all code rules."""
