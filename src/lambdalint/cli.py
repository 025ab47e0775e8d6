"""Command line: ``lambdalint check | merge | baseline | rules | explain``.

Start-up matters (pre-commit runs this on every commit), so heavy modules are imported inside
the commands that need them, and ``--version`` answers before click is even imported.
"""

from __future__ import annotations

import sys

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        print(f"lambdalint {__version__}")
        sys.exit(EXIT_OK)
    try:
        _cli()(args=args, prog_name="lambdalint")
    except Exception as exc:  # noqa: BLE001 - a bug of ours: exit 2 (never the findings code 1), one line, no traceback
        sys.stderr.write(f"lambdalint: internal error ({type(exc).__name__}: {exc}); the report is incomplete, please report this\n")
        sys.exit(EXIT_USAGE)


def _cli():
    import click

    from .config import FAIL_ON

    class FatalError(click.ClickException):
        """A problem with the configuration, a baseline or an output path: one clear line
        (``Error: ...``) and exit 2, without click's usage banner, which is about arguments."""

        exit_code = EXIT_USAGE

    def load_rules_or_exit():
        from .rules.registry import load_rules

        try:
            return load_rules()
        except Exception as exc:
            raise FatalError(f"cannot load rules: {exc}") from None

    def writable_or_exit(output: str) -> None:
        """Fail before a long run, not after it, when the report cannot be written."""
        import os

        directory = os.path.dirname(os.path.abspath(output))
        if not os.path.isdir(directory):
            raise FatalError(f"cannot write {output}: folder {os.path.dirname(output) or '.'} does not exist")
        if os.path.isdir(output):
            raise FatalError(f"cannot write {output}: it is a folder")
        target = output if os.path.exists(output) else directory
        if not os.access(target, os.W_OK):
            raise FatalError(f"cannot write {output}: permission denied")

    def write_or_exit(output: str, write) -> None:
        try:
            write()
        except OSError as exc:
            raise FatalError(f"cannot write {output}: {exc.strerror or exc}") from None

    def emit(pieces, output: str | None, newline: str = "\n") -> None:
        """Write the report's pieces to ``output`` (exit 2 when it cannot be written), or stdout."""
        if output:
            def write():
                with open(output, "w", encoding="utf-8", newline=newline) as handle:
                    handle.writelines(pieces)

            write_or_exit(output, write)
        else:
            for piece in pieces:
                click.echo(piece, nl=False)

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "--version", "-V", prog_name="lambdalint")
    def cli() -> None:
        """Find AWS Lambda latency, cost and reliability mistakes in handler code, SAM,
        CloudFormation and Terraform before they ship."""

    def prepare(paths, config_path, select=(), ignore=(), extend_select=()):
        import os
        from pathlib import Path

        from .config import ConfigError, find_config, load_settings, resolve_selector
        from .engine import select_rules

        rules = load_rules_or_exit()
        paths = list(paths) or ["."]
        try:
            config_file = Path(config_path) if config_path else find_config(Path(os.path.abspath(paths[0])))
            settings = load_settings(config_file, rules)
        except ConfigError as exc:
            raise FatalError(str(exc)) from None

        def tokens(values):
            out = [t.strip() for v in values for t in v.split(",") if t.strip()]
            for t in out:
                if not resolve_selector(t, rules):
                    raise click.BadParameter(f"{t!r} matches no rule (use IDs like LL101, prefixes like LL1, or names)")
            return tuple(out)

        enabled = select_rules(settings, rules, tokens(select), tokens(ignore), tokens(extend_select))
        return rules, settings, enabled, paths

    def execute(paths, settings, rules, enabled, jobs, context=True, strict_suppressions=False):
        import os

        from .engine import run

        from .progress import ProgressBar, wanted

        progress = ProgressBar(sys.stderr) if wanted(sys.stderr) else None
        result = run(paths, settings, rules, enabled, jobs=jobs or (os.cpu_count() or 1), context=context, strict_suppressions=strict_suppressions, progress=progress)
        if progress is not None:
            progress.close()
        return result

    def check_region(ctx, param, value):
        if value is None:
            return value
        from .report.cost import regions

        if value not in regions():
            raise click.BadParameter(f"no prices for {value!r}; known regions: {', '.join(regions())}")
        return value

    @cli.command()
    @click.argument("paths", nargs=-1, type=click.Path(exists=True))
    @click.option("--output", "-o", type=click.Path(dir_okay=False), default=".lambdalint-baseline.json", show_default=True, help="Where to write the baseline.")
    @click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file.")
    @click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True)
    def baseline(paths, output, config_path, jobs):
        """Record the current findings of PATHS so `check --baseline` reports only new ones."""
        from pathlib import Path

        from .baseline import write_baseline

        writable_or_exit(output)
        # every rule, whatever the run that will read it selects: an entry that matches nothing
        # costs nothing, and a later --select ALL sweep finds its legacy findings recorded too
        rules, settings, enabled, paths = prepare(paths, config_path, select=("ALL",))
        result = execute(paths, settings, rules, enabled, jobs)
        count = 0

        def write():
            nonlocal count
            count = write_baseline(result.findings, Path(output), result.fingerprint_base)

        write_or_exit(output, write)
        click.echo(f"Recorded {count} finding{'s' if count != 1 else ''} in {output}.")

    @cli.command()
    @click.argument("paths", nargs=-1, type=click.Path(exists=True))
    @click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "html"]), default="text", show_default=True, help="Output format (html: one self-contained page).")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
    @click.option("--select", multiple=True, help="Only these rules: IDs, ID prefixes (LL2) or names; repeat or comma-separate.")
    @click.option("--ignore", multiple=True, help="Skip these rules: IDs, prefixes or names.")
    @click.option("--extend-select", multiple=True, help="Add rules to the selection.")
    @click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help="Exit 1 when a finding at or above this level remains [default: warning].")
    @click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (pyproject.toml or .lambdalint.toml).")
    @click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Parse files in N processes (0 = one per CPU).")
    @click.option("--quiet", "-q", is_flag=True, help="Print only findings, no summary or notices.")
    @click.option("--statistics", is_flag=True, help="Show a count of findings per rule.")
    @click.option("--show-suppressed", is_flag=True, help="Also list findings silenced by inline comments.")
    @click.option("--strict-suppressions", is_flag=True, help="Report bare `lambdalint: ignore` comments that name no rule (LL003).")
    @click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Report only findings not recorded in this baseline file.")
    @click.option("--context/--no-context", default=True, show_default=True, help="When given files only (pre-commit), read the rest of the repository for context.")
    @click.option("--force-exclude", is_flag=True, help="Apply `exclude` to paths named on the command line too (the pre-commit hook passes it).")
    @click.option("--pricing-region", callback=check_region, help="AWS region whose prices the HTML cost estimates use [default: us-east-1].")
    @click.option("--fix", is_flag=True, help="Apply safe fixes in place, then report what is left.")
    @click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff and change nothing (exit 1 when there is something to fix).")
    @click.option("--unsafe-fixes", is_flag=True, help="Also apply (or show) fixes that change behaviour and need review.")
    @click.option("--show-fixes", is_flag=True, help="Show the available fix of each finding (SARIF always carries them).")
    def check(paths, fmt, output, select, ignore, extend_select, fail_on, config_path, jobs, quiet, statistics, show_suppressed, strict_suppressions, baseline_path, context, force_exclude, pricing_region, fix, show_diff, unsafe_fixes, show_fixes):
        """Check PATHS (default: the current directory) and report findings."""
        import os

        from .findings import LEVEL_RANK

        if output:
            writable_or_exit(output)
        rules, settings, enabled, paths = prepare(paths, config_path, select, ignore, extend_select)
        settings.force_exclude = settings.force_exclude or force_exclude
        outcome = None
        if fix or show_diff:
            from .fix.apply import fix_paths

            outcome = fix_paths(paths, settings, rules, enabled, jobs or (os.cpu_count() or 1), context, unsafe_fixes)
            if show_diff:
                report_diff(outcome, output, quiet)
            report_fixed(outcome, quiet)
        result = execute(paths, settings, rules, enabled, jobs, context, strict_suppressions)
        if outcome is not None:
            from .fix.apply import explain_declined

            result.notices = sorted(set(result.notices) | set(outcome.dropped) | set(explain_declined(outcome, result.findings)))
        if fmt == "sarif" or show_fixes:  # computing fixes loads libcst: not on a plain check
            from .fix.registry import compute_fixes

            result.fixes = compute_fixes(result.findings, result.root)
        if baseline_path:
            from pathlib import Path

            from .baseline import BaselineError, read_baseline, split_new

            try:
                known = read_baseline(Path(baseline_path))
            except BaselineError as exc:
                raise FatalError(str(exc)) from None
            result.findings, matched, fixed = split_new(result.findings, known, result.fingerprint_base)
            result.baseline = (matched, fixed)
        if quiet:
            result.notices = [n for n in result.notices if n.level == "error"]
        if fmt == "json":
            # written piece by piece: a large sweep's report is never held whole in memory
            from .report.json import iter_json

            pieces = iter_json(result)
        else:
            from .report import render

            text = render(fmt, result, statistics=statistics, show_suppressed=show_suppressed, pricing_region=pricing_region)
            if quiet and fmt == "text":
                coverage_line = result.coverage.summary_line() if result.coverage is not None else None
                text = "".join(line + "\n" for line in text.splitlines() if line and not line.startswith("Found ") and not line.startswith("    ") and line != coverage_line)
            pieces = iter((text,))
        emit(pieces, output)
        if result.rule_errors:
            sys.exit(EXIT_USAGE)  # a rule crashed: the report is incomplete, never a green run
        threshold = fail_on or settings.fail_on
        if threshold == "never":
            sys.exit(EXIT_OK)
        worst = max((LEVEL_RANK[f.level] for f in result.findings), default=0)
        sys.exit(EXIT_FINDINGS if worst and worst >= LEVEL_RANK[threshold] else EXIT_OK)

    def report_diff(outcome, output, quiet):
        from .fix.apply import unified_diff

        emit((unified_diff(outcome),), output, newline="")
        if not quiet:
            count = len(outcome.applied)
            click.echo(f"Would fix {count} finding{'s' if count != 1 else ''} in {len(outcome.changed)} file{'s' if len(outcome.changed) != 1 else ''}.", err=True)
        sys.exit(EXIT_FINDINGS if outcome.changed else EXIT_OK)

    def report_fixed(outcome, quiet):
        from .fix.apply import write_back

        write_back(outcome)
        if not quiet:
            count = len(outcome.applied)
            click.echo(f"Fixed {count} finding{'s' if count != 1 else ''} in {len(outcome.changed)} file{'s' if len(outcome.changed) != 1 else ''}.", err=True)

    @cli.command()
    @click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    @click.option("--format", "fmt", type=click.Choice(["json", "html", "sarif", "text"]), default="json", show_default=True, help="Output format.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the merged report to this file instead of stdout.")
    @click.option("--pricing-region", callback=check_region, help="AWS region whose prices the HTML cost estimates use [default: us-east-1].")
    def merge(shards, fmt, output, pricing_region):
        """Combine the JSON (or SARIF) reports of separate runs, e.g. one CI job per repository,
        into one report, as a single run over all their paths would write it."""
        from pathlib import Path

        from .merge import MergeError, load, merge_json, merge_sarif, result_from_json

        try:
            loaded = [(path, *load(path)) for path in shards]
            kinds = {kind for _, kind, _ in loaded}
            if len(kinds) > 1:
                raise MergeError("shards mix JSON and SARIF reports; merge one kind")
            docs = [(path, data) for path, _, data in loaded]
            if kinds == {"sarif"}:
                if fmt != "sarif":
                    raise MergeError("SARIF shards merge into SARIF only (--format sarif); use JSON shards for other formats")
                import json

                text = json.dumps(merge_sarif(docs), indent=2, ensure_ascii=False) + "\n"
            else:
                merged = merge_json(docs)
                if fmt == "json":
                    from .report.json import dumps

                    text = dumps(merged)
                elif fmt == "html":
                    from .report.html import render_html

                    text = render_html(merged, load_rules_or_exit(), pricing_region)
                else:
                    from .report import render

                    text = render(fmt, result_from_json(merged, load_rules_or_exit(), Path.cwd()))
        except MergeError as exc:
            raise FatalError(str(exc)) from None  # a shard problem, not an argument one: no usage banner
        emit((text,), output)

    @cli.command(name="rules")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.option("--write-docs", type=click.Path(file_okay=False), help="Write the Markdown rule reference (one page per rule) into this directory.")
    def rules_cmd(fmt, write_docs):
        """List every rule with its level and options."""
        import json

        rules = load_rules_or_exit()
        if write_docs:
            from pathlib import Path

            from .rules.docs import write_docs as write

            names = write(rules, Path(write_docs))
            click.echo(f"wrote {len(names)} pages to {write_docs}")
            return
        if fmt == "json":
            payload = [
                {
                    "id": r.id,
                    "name": r.name,
                    "level": r.level,
                    "default": r.default,
                    "summary": r.summary,
                    "family": r.family,
                    "tags": list(r.tags),
                    "help_uri": r.help_uri,
                    "options": [{"name": o.name, "default": o.default, "description": o.description, "choices": list(o.choices)} for o in r.options],
                }
                for r in rules.values()
            ]
            click.echo(json.dumps(payload, indent=2))
            return
        width = max(len(r.name) for r in rules.values())
        for r in rules.values():
            click.echo(f"{r.id}  {r.name:<{width}}  {r.level:<7}  {'default' if r.default else 'opt-in ':<7}  {r.summary}")
            for o in r.options:
                click.echo(f"{'':8}option {o.name} = {o.default!r}: {o.description}")

    @cli.command()
    @click.argument("rule")
    def explain(rule):
        """Show a rule's full documentation (RULE is an ID like LL101 or a name)."""
        from .rules.registry import find_rule

        rules = load_rules_or_exit()
        found = find_rule(rules, rule)
        if found is None:
            raise click.BadParameter(f"no rule {rule!r}; run `lambdalint rules` for the list", param_hint="RULE")
        click.echo(f"# {found.id} {found.name} ({found.level})\n\n{found.summary}.\n\n{found.docs}", nl=False)

    return cli


if __name__ == "__main__":  # pragma: no cover
    main()
