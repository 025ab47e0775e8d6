"""LL103 fix: a per-invocation SSM / Secrets Manager / AppConfig read becomes a module-level
getter that fetches again only when its copy is older than a time-to-live.

The getter is guarded the way the analysis recognises a cache (``if _value is None or ...``),
keeps the full response (callers still index into it as before), and is reused by every call
with the same client and arguments. Unsafe: a changed parameter or rotated secret is seen up to
``CONFIG_TTL_SECONDS`` later than before.
"""

from __future__ import annotations

import re

import libcst as cst  # this module loads only when fixing (fix.registry imports it on demand)

from .model import UNSAFE, Declined, Edit, Fix
from .python_hoist import CALL_PLACEHOLDER, _call_edit, _contains_call, _free_name, _imported_in_function, _insert_definitions, _load, _names_in_module, _render_getter, _substituted, _varying_part

TTL_NAME = "CONFIG_TTL_SECONDS"
TTL_SECONDS = 300  # five minutes; the constant is written into the module for the author to tune


def fix_config_fetch(finding, text: str):
    module = _load(text)
    loc = finding.location
    call = next(
        (n for n, r in module.positions.items() if isinstance(n, cst.Call) and r.start.line == loc.line and r.start.column == loc.column - 1),
        None,
    )
    if call is None or not isinstance(call.func, cst.Attribute):
        return Declined("the call could not be located in the source")
    imported_here = _imported_in_function(module, call)
    if imported_here:
        return Declined(f"`{imported_here}` is imported inside the function; import it at module level first")
    aliases: dict = {}
    problem = _varying_part(module, call, aliases)
    if problem:
        return Declined(f"`{problem}` is a parameter, a local or per-invocation value, so one cached copy will not do; cache the values in a module-level dict keyed by it")
    powertools = _powertools_read(module, call, finding)
    if powertools is not None:
        return powertools
    moved = _substituted(call, aliases)
    nl = module.newline
    # reuse the getter an earlier fix made for the same read
    for stmt in module.tree.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value.startswith("get_") and _contains_call(module, stmt, module.code(moved)):
            return Fix(finding.location.path, (_call_edit(module, call, f"{stmt.name.value}()"),), UNSAFE, f"Reuse the cached read in `{stmt.name.value}()`")
    base = _base_name(call)
    getter = _free_name(module, f"get_{base}")
    holder = _free_name(module, f"_{base}")
    stamp = _free_name(module, f"_{base}_fetched_at")
    function = _render_getter(
        module,
        f"def {getter}():\n"
        f'    """Read once per execution environment, again when the copy is older than {TTL_NAME}."""\n'
        f"    global {holder}, {stamp}\n"
        f"    if {holder} is None or time.monotonic() - {stamp} > {TTL_NAME}:\n"
        f"        {holder} = {CALL_PLACEHOLDER}\n"
        f"        {stamp} = time.monotonic()\n"
        f"    return {holder}\n",
        moved,
    )
    names = _names_in_module(module)
    if "time" in names and not _imports_time(module):
        return Declined("the module uses the name `time` for something else than the time module")
    header = ""
    if TTL_NAME not in names:
        header += f"{TTL_NAME} = {TTL_SECONDS}  # how stale a cached parameter or secret may get{nl}"
    block = f"{nl}{header}{holder} = None{nl}{stamp} = 0.0{nl}{nl}{nl}{function}"
    edits = [_insert_definitions(module, moved, block), _call_edit(module, call, f"{getter}()")]
    if not _imports_time(module):
        edits.append(_time_import(module))
    return Fix(finding.location.path, tuple(edits), UNSAFE, f"Cache the read in `{getter}()` for {TTL_NAME} ({TTL_SECONDS} s)")


def _base_name(call) -> str:
    """``orders_url_parameter`` for ``get_parameter(Name="/orders/url")``, ``db_secret`` for
    ``get_secret_value(SecretId="db")``; ``config_value`` when the name is not a literal."""
    method = call.func.attr.value
    noun = "secret" if "secret" in method else "configuration" if "configuration" in method else "parameters" if method.endswith(("parameters", "by_path")) else "parameter"
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in ("Name", "SecretId", "Path", "Names") or arg.keyword is None:
            if isinstance(arg.value, cst.SimpleString):
                value = arg.value.evaluated_value
                if isinstance(value, str):
                    words = re.sub(r"[^0-9a-zA-Z]+", "_", value.rsplit(":", 1)[-1]).strip("_").lower()
                    if words and not words[0].isdigit():
                        return f"{words[:40].rstrip('_')}_{noun}"
            break
    return f"config_{noun}"


def _imports_time(module) -> bool:
    """Whether ``time`` is the time module at module level (``import time``)."""
    for stmt in module.tree.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        if module.code(alias.name) == "time" and alias.asname is None:
                            return True
    return False


def _time_import(module) -> Edit:
    """``import time`` just before the first top-level import (after the docstring and
    ``__future__`` imports), so imports stay together."""
    for stmt in module.tree.body:
        if isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
            if any(isinstance(s, cst.ImportFrom) and module.code(s.module or cst.Name("x")) == "__future__" for s in stmt.body):
                continue
            start = module.positions[stmt].start.line
            offset = module.line_starts[start - 1]
            return Edit(offset, offset, f"import time{module.newline}")
    return Edit(0, 0, f"import time{module.newline}")


# Powertools reads that return what the boto3 response was indexed for:
# method -> (response keys, Powertools function, boto3 keyword -> Powertools keyword)
POWERTOOLS_READS = {
    "get_parameter": (("Parameter", "Value"), "get_parameter", {"Name": None, "WithDecryption": "decrypt"}),
    "get_secret_value": (("SecretString",), "get_secret", {"SecretId": None}),
}


def _powertools_read(module, call, finding) -> Fix | None:
    """In a module that already uses Powertools, ``ssm.get_parameter(Name="/x")["Parameter"]["Value"]``
    becomes ``parameters.get_parameter("/x", max_age=...)`` (cached by Powertools); None when the
    read does not have that exact shape."""
    if not any(name.startswith("aws_lambda_powertools") for name in _imported_modules(module)):
        return None
    method = call.func.attr.value
    if method not in POWERTOOLS_READS:
        return None
    keys, function, keywords = POWERTOOLS_READS[method]
    if not _default_client(module, call.func.value):
        return None  # Powertools builds its own client: only equivalent to a default one
    node = call
    for key in keys:  # the response must be indexed exactly this way
        parent = module.parents.get(node)
        if not (isinstance(parent, cst.Subscript) and parent.value is node and len(parent.slice) == 1):
            return None
        index = parent.slice[0].slice
        if not (isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString) and index.value.evaluated_value == key):
            return None
        node = parent
    name = None
    options = []
    for position, arg in enumerate(call.args):
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword not in keywords or (keyword is None and position > 0) or arg.star:
            return None
        target = keywords[keyword]
        if target is None:
            name = module.code(arg.value)
        else:
            options.append(f"{target}={module.code(arg.value)}")
    if name is None:
        return None
    local = _powertools_parameters_name(module)
    edits = []
    if local is None:
        local = "parameters"
        if local in _names_in_module(module):
            return None
        edits.append(_import_after_first(module, "from aws_lambda_powertools.utilities import parameters"))
    replacement = f"{local}.{function}({', '.join([name, *options, f'max_age={TTL_SECONDS}'])})"
    r = module.positions[node]
    edits.append(Edit(module.offset(r.start.line, r.start.column), module.offset(r.end.line, r.end.column), replacement))
    return Fix(finding.location.path, tuple(edits), UNSAFE, f"Read it with Powertools `{function}` (cached for {TTL_SECONDS} s)")


def _default_client(module, receiver) -> bool:
    """Whether ``receiver`` names a module-level ``boto3.client("<service>")`` built with the
    service name alone (no region, endpoint, credentials or config)."""
    if not isinstance(receiver, cst.Name) or module.scopes.get(receiver) is None:
        return False
    assignments = list(module.scopes[receiver][receiver.value])
    if len(assignments) != 1 or not isinstance(assignments[0].scope, cst.metadata.GlobalScope):
        return False
    holder = module.parents.get(module.parents.get(assignments[0].node))
    if not isinstance(holder, cst.Assign) or not isinstance(holder.value, cst.Call):
        return False
    made = holder.value
    qualname = sorted(module.qualnames.get(made, ()))
    return bool(qualname) and qualname[0] in ("boto3.client", "boto3.session.Session.client") and len(made.args) == 1 and made.args[0].keyword is None


def _imported_modules(module) -> set[str]:
    out: set[str] = set()
    for stmt in module.tree.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.ImportFrom) and small.module is not None:
                    out.add(module.code(small.module))
                elif isinstance(small, cst.Import):
                    out.update(module.code(alias.name) for alias in small.names)
    return out


def _powertools_parameters_name(module) -> str | None:
    """The local name of ``aws_lambda_powertools.utilities.parameters`` when the module imports it."""
    for stmt in module.tree.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.ImportFrom) and small.module is not None and module.code(small.module) == "aws_lambda_powertools.utilities" and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        if module.code(alias.name) == "parameters":
                            return module.code(alias.asname.name) if alias.asname else "parameters"
    return None


def _import_after_first(module, line: str) -> Edit:
    """An import line placed right after the module's first top-level import statement."""
    for stmt in module.tree.body:
        if isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
            if any(isinstance(s, cst.ImportFrom) and module.code(s.module or cst.Name("x")) == "__future__" for s in stmt.body):
                continue
            end = module.positions[stmt].end.line
            offset = module.line_starts[end] if end < len(module.line_starts) else len(module.text)
            return Edit(offset, offset, line + module.newline)
    return Edit(0, 0, line + module.newline)
