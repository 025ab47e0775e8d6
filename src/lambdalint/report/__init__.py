"""Reporters: text, JSON, SARIF 2.1.0, GitHub annotations and HTML. Each imports only what it needs."""

from __future__ import annotations


def render(fmt: str, result, statistics: bool = False, show_suppressed: bool = False, pricing_region: str | None = None) -> str:
    if fmt == "html":
        from .html import render_html
        from .json import payload

        return render_html(payload(result), result.rules, pricing_region)
    if fmt == "json":
        from .json import render_json

        return render_json(result)
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(result)
    if fmt == "github":
        from .github import render_github

        return render_github(result)
    from .text import render_text

    return render_text(result, statistics=statistics, show_suppressed=show_suppressed)
