"""Configuration: ``[tool.lambdalint]`` in pyproject.toml or a ``.lambdalint.toml``.

Every key is validated: an unknown key or a bad value is a :class:`ConfigError` naming the file,
the key and what is allowed (the CLI exits 2), never silently ignored.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FAIL_ON = ("error", "warning", "note", "never")
LEVEL_CHOICES = ("error", "warning", "note")


class ConfigError(Exception):
    pass


@dataclass
class Settings:
    select: tuple[str, ...] = ()  # empty = the default set (Rule.default)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False  # apply exclude to paths named on the command line too (pre-commit)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: str = "warning"
    handler_names: tuple[str, ...] = ()
    extra_clients: tuple[str, ...] = ()
    extra_connections: tuple[str, ...] = ()
    snapstart_files: tuple[str, ...] = ()  # globs of handler files known to run under SnapStart
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> options (incl. "level")
    source: str = ""  # the file the settings came from
    # rule IDs the user selected by name (select, extend-select, ALL), as opposed to the default
    # set; None = not computed (every enabled rule counts as selected). Set by engine.select_rules.
    explicit_rules: frozenset | None = None

    def declares_snapstart(self, rel: str) -> bool:
        return any(fnmatch.fnmatch(rel, glob) for glob in self.snapstart_files)

    def is_excluded(self, rel: str) -> bool:
        for pattern in self.exclude:
            p = pattern.rstrip("/")
            if fnmatch.fnmatch(rel.rstrip("/"), p) or fnmatch.fnmatch(rel, p + "/*") or fnmatch.fnmatch(rel.rstrip("/"), "*/" + p) or rel.startswith(p + "/"):
                return True
        return False


KEYS = {
    "select",
    "ignore",
    "extend-select",
    "exclude",
    "force-exclude",
    "per-file-ignores",
    "fail-on",
    "handler-names",
    "extra-clients",
    "extra-connections",
    "snapstart-files",
    "rules",
}


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


def find_config(start: Path) -> Path | None:
    """Walk up from ``start``: the first ``.lambdalint.toml``, or pyproject.toml with a [tool.lambdalint] table."""
    current = start if start.is_dir() else start.parent
    for directory in [current, *current.parents]:
        candidate = directory / ".lambdalint.toml"
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = _toml().loads(pyproject.read_text(encoding="utf-8"))
            except OSError as exc:
                raise ConfigError(f"{pyproject}: cannot read configuration: {exc.strerror or exc}") from None
            except Exception as exc:
                # the project's configuration may be in it: defaults would silently apply
                raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
            if "lambdalint" in data.get("tool", {}):
                return pyproject
        if (directory / ".git").exists():
            break
    return None


def load_settings(path: Path | None, rules: dict) -> Settings:
    if path is None:
        return Settings()
    try:
        data = _toml().loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except Exception as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("lambdalint", {})
        prefix = "tool.lambdalint."
    else:
        table = data
        prefix = ""
    return parse_settings(table, str(path), prefix, rules)


def parse_settings(table: dict, source: str, prefix: str, rules: dict) -> Settings:
    def err(key: str, message: str) -> ConfigError:
        return ConfigError(f"{source}: {prefix}{key}: {message}")

    unknown = sorted(set(table) - KEYS)
    if unknown:
        return_key = unknown[0]
        raise err(return_key, f"unknown key; allowed keys: {', '.join(sorted(KEYS))}")

    def str_list(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise err(key, "must be a list of strings")
        return tuple(value)

    def codes(key: str) -> tuple[str, ...]:
        values = str_list(key)
        for v in values:
            if not resolve_selector(v, rules):
                raise err(key, f"{v!r} matches no rule; use rule IDs (LL101), prefixes (LL1) or names (client-in-handler)")
        return values

    settings = Settings(
        select=codes("select"),
        ignore=codes("ignore"),
        extend_select=codes("extend-select"),
        exclude=str_list("exclude"),
        handler_names=str_list("handler-names"),
        extra_clients=str_list("extra-clients"),
        extra_connections=str_list("extra-connections"),
        snapstart_files=str_list("snapstart-files"),
        source=source,
    )
    force_exclude = table.get("force-exclude", False)
    if not isinstance(force_exclude, bool):
        raise err("force-exclude", "must be true or false")
    settings.force_exclude = force_exclude
    fail_on = table.get("fail-on", "warning")
    if fail_on not in FAIL_ON:
        raise err("fail-on", f"{fail_on!r} is not allowed; allowed values: {', '.join(FAIL_ON)}")
    settings.fail_on = fail_on
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise err("per-file-ignores", "must be a table of glob = [rule codes]")
    for glob, values in pfi.items():
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) and resolve_selector(v, rules) for v in values):
            raise err(f"per-file-ignores.{glob}", "must be a list of rule IDs, prefixes or names")
        # stored as rule IDs, so prefixes (LL1), names and ALL work like everywhere else
        settings.per_file_ignores[glob] = tuple(sorted(set().union(*(resolve_selector(v, rules) for v in values))))
    rule_tables = table.get("rules", {})
    if not isinstance(rule_tables, dict):
        raise err("rules", "must be a table of rule tables ([tool.lambdalint.rules.LL401])")
    for code, options in rule_tables.items():
        matched = [r for r in rules.values() if code in (r.id, r.name)]
        if not matched:
            raise err(f"rules.{code}", "no rule has this ID or name")
        rule = matched[0]
        if not isinstance(options, dict):
            raise err(f"rules.{code}", "must be a table of options")
        allowed = {o.name: o for o in rule.options}
        out = settings.rule_options.setdefault(rule.id, {})
        for name, value in options.items():
            if name == "level":
                if value not in LEVEL_CHOICES:
                    raise err(f"rules.{code}.level", f"{value!r} is not allowed; allowed values: {', '.join(LEVEL_CHOICES)}")
                out["level"] = value
                continue
            if name not in allowed:
                names = ", ".join(["level", *sorted(allowed)])
                raise err(f"rules.{code}.{name}", f"unknown option; allowed: {names}")
            option = allowed[name]
            if option.choices and value not in option.choices:
                raise err(f"rules.{code}.{name}", f"{value!r} is not allowed; allowed values: {', '.join(map(str, option.choices))}")
            if not option.choices and option.default is not None and type(value) is not type(option.default) and not (isinstance(option.default, float) and isinstance(value, int)):
                raise err(f"rules.{code}.{name}", f"must be of type {type(option.default).__name__} (default {option.default!r})")
            if option.pattern and isinstance(value, str) and value and not re.fullmatch(option.pattern, value):
                raise err(f"rules.{code}.{name}", f"{value!r} is not allowed: {option.description}")
            out[name] = value
    return settings


def resolve_selector(token: str, rules: dict) -> set[str]:
    """Rule IDs matched by an ID, an ID prefix (``LL2``) or a kebab-case name."""
    token = token.strip()
    upper = token.upper()
    if upper == "ALL":
        return set(rules)
    by_name = {r.name: r.id for r in rules.values()}
    if token in by_name:
        return {by_name[token]}
    if upper.startswith("LL"):
        return {rid for rid in rules if rid.startswith(upper)}
    return set()


def selection(settings: Settings, rules: dict, cli_select=(), cli_ignore=(), cli_extend=()) -> tuple[set[str], set[str]]:
    """(enabled rule IDs, those the user named). Without any select, the default set runs;
    command-line selection replaces the config's; extend-select adds; ignore removes."""
    select = cli_select or settings.select
    if select:
        chosen = set().union(*(resolve_selector(s, rules) for s in select))
        named = set(chosen)
    else:
        chosen = {rule_id for rule_id, rule in rules.items() if getattr(rule, "default", True)}
        named = set()
    for token in (*settings.extend_select, *cli_extend):
        ids = resolve_selector(token, rules)
        chosen |= ids
        named |= ids
    for token in (*settings.ignore, *cli_ignore):
        chosen -= resolve_selector(token, rules)
    return chosen, named & chosen
