"""Autofix: turn findings into text edits, apply them safely, and show them (diff, JSON, SARIF).

Nothing here is imported by a plain ``check``: the fixers (and libcst) load only with ``--fix``,
``--diff`` or a JSON/SARIF report.
"""
