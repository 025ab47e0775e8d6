"""Per-invocation and init-time uses in JavaScript/TypeScript and Java handlers, for the LL1xx rules.

The Python side (analysis/scope.py) has the same shape: a hit carries the use, where it is, the
call chain from the handler, and the handler's own location for SARIF related locations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..findings import Location, Related
from .codefacts import Use

# how each language keeps one object per execution environment, for messages
INIT_IDIOM = {
    "javascript": "create it once at module scope, outside the handler (or lazily behind `if (!x)`), and reuse it",
    "java": "create it once in a static field or the handler class's constructor, and reuse it",
}


@dataclass(frozen=True)
class CodeHit:
    language: str  # javascript | java
    path: str
    use: Use
    chain: tuple[str, ...]  # display names, handler first
    handler_name: str
    handler_location: Location
    # the class whose per-invocation instance holds the `this.x` cache (JavaScript), else ""
    instance_of: str = ""
    # the call in the handler's module that leads to a use in another module, and how it reads
    exit: tuple[Location, str] | None = None

    @property
    def construction(self) -> Location:
        u = self.use
        return Location(self.path, u.line, u.column, u.end_line, u.end_column)

    @property
    def location(self) -> Location:
        """As for Python: the use itself when it is in the handler's module, else the call there
        that leads to it, so a run on the handler file and a suppression on that call both work."""
        return self.exit[0] if self.exit else self.construction

    @property
    def elsewhere(self) -> str:
        """`` in `getClient` (lib/clients.js:12)`` when the use is in another module."""
        if not self.exit:
            return ""
        where = self.construction
        return f" in `{self.chain[-1].split(' (')[0]}` ({where.path}:{where.line})"

    @property
    def via(self) -> str:
        return " → ".join(self.chain)

    def handler_related(self) -> Related:
        return Related(self.handler_location, f"handler `{self.handler_name}` is defined here")

    def related(self) -> list[Related]:
        """The handler's definition, and the use itself when the finding is at the call leading to it."""
        out = [self.handler_related()]
        if self.exit:
            out.append(Related(self.construction, f"`{self.use.name}` is called here, in `{self.chain[-1].split(' (')[0]}`"))
        return out

    @property
    def subject(self) -> str:
        return f"{self.path}:{self.chain[-1]}"

    @property
    def idiom(self) -> str:
        if self.instance_of:
            return (
                f"the `this` guard keeps it per `{self.instance_of}` object, and the handler builds a new one on every "
                f"invocation: create that object once at module scope (or the client itself), and reuse it"
            )
        return INIT_IDIOM[self.language]


def script_scope(project, target, exits: dict | None = None, entries: dict | None = None) -> dict[tuple[str, str], tuple[str, ...]]:
    """(module path, routine) -> call chain, for everything a JavaScript/TypeScript handler runs
    per invocation, following calls into the local modules it imports (``./lib/clients``).
    ``exits`` receives, for each routine outside the handler's module, the call in that module
    that leads there: (Location, how the call reads); ``entries`` every such call made directly
    from the handler's module, for factories (reported once per call that reaches them)."""
    from ..link.scripts import resolve_relative
    from .javascript import IMPORTED

    home = target.module.path
    exits = {} if exits is None else exits
    entries = {} if entries is None else entries
    chains: dict[tuple[str, str], tuple[str, ...]] = {}
    queue: list[tuple[str, str]] = []
    for root in target.roots:
        if root in target.module.facts.routines and (home, root) not in chains:
            chains[home, root] = (root,)
            queue.append((home, root))
    while queue:
        path, qualname = queue.pop(0)
        facts = project.script_modules[path].facts
        for callee in facts.routines[qualname].calls:
            if callee.startswith(IMPORTED):
                specifier, _, name = callee[len(IMPORTED) :].rpartition(":")
                other = resolve_relative(project, path, specifier)
                if other is None:
                    continue
                other_facts = project.script_modules[other].facts
                found = other_facts.exports.get(name) or ([name] if name in other_facts.routines else [])
                steps = [(other, r) for r in found if r in other_facts.routines]
            else:
                steps = [(path, callee)] if callee in facts.routines else []
            for step in steps:
                if path == home and step[0] != home:
                    for site in facts.call_sites_all.get((qualname, callee), ()):
                        entry = (Location(home, *site[0]), site[1])
                        if entry not in entries.setdefault(step, []):
                            entries[step].append(entry)
                if step not in chains:
                    shown = step[1] if step[0] == home else f"{step[1]} ({step[0].rsplit('/', 1)[-1]})"
                    chains[step] = chains[path, qualname] + (shown,)
                    queue.append(step)
                    if step[0] != home:
                        site = facts.call_sites.get((qualname, callee)) if path == home else None
                        exit_ = (Location(home, *site[0]), site[1]) if site else exits.get((path, qualname))
                        if exit_ is not None:
                            exits[step] = exit_
    return chains


def _class_ref(project, path: str, target: str) -> tuple[str, str] | None:
    """(module path, class) of a construction target noted by the walk (``Repo.constructor``,
    ``import:./repo:Repo.constructor``), or None when the module is not a local one."""
    from ..link.scripts import resolve_relative
    from .javascript import IMPORTED

    if target.startswith(IMPORTED):
        specifier, _, name = target[len(IMPORTED) :].rpartition(":")
        path = resolve_relative(project, path, specifier)
        if path is None:
            return None
        target = name
    return path, target.rpartition(".")[0]


def per_invocation_objects(project, chains) -> set[tuple[str, str]]:
    """(module path, class) of the objects a handler builds on every invocation, less the classes
    some module also instantiates at init (the handler may be using that instance: stay quiet)."""
    built: set[tuple[str, str]] = set()
    for path, qualname in chains:
        for target in project.script_modules[path].facts.constructs.get(qualname, ()):
            ref = _class_ref(project, path, target)
            if ref is not None:
                built.add(ref)
    if not built:
        return built
    once = {ref for path, doc in project.script_modules.items() for target in doc.facts.constructs.get("", ()) if (ref := _class_ref(project, path, target))}
    return built - once


def _short(qualname: str) -> str:
    """``com.example.OrderService.load`` -> ``OrderService.load``."""
    parts = qualname.split(".")
    return ".".join(parts[-2:]) if len(parts) > 2 else qualname


def per_invocation(project, kind: str) -> Iterator[CodeHit]:
    """Uncached uses of ``kind`` in the handler scope of every JavaScript/TypeScript and Java
    handler, each reported once even when several handlers reach it."""
    seen: set[tuple[str, int, int]] = set()
    for target in project.script_targets:
        facts = target.module.facts
        exits: dict = {}
        entries: dict = {}
        chains = script_scope(project, target, exits, entries)
        if not chains:
            continue
        first = facts.routines[target.roots[0]] if target.roots and target.roots[0] in facts.routines else None
        handler_at = Location(target.module.path, first.line, first.column) if first else Location(target.module.path)
        objects = per_invocation_objects(project, chains)
        for path, qualname in sorted(chains, key=lambda k: (k[0] != target.module.path, k[0], project.script_modules[k[0]].facts.routines[k[1]].line, k[1])):
            owner = qualname.rpartition(".")[0]
            for use in project.script_modules[path].facts.routines[qualname].uses:
                key = (path, use.line, use.column)
                # a `this.x` cache lives as long as its object: one built per invocation caches nothing
                rebuilt = use.instance_guard and (path, owner) in objects
                if (use.cached and not rebuilt) or use.kind != kind or key in seen:
                    continue
                # a factory in another module (it returns what it builds, or is a constructor) is
                # reported at each call of the handler's module that reaches it directly, as for
                # Python: a new call to it is a new finding
                factory = (use.returned or qualname.endswith(".constructor")) and entries.get((path, qualname))
                for exit_ in factory or [exits.get((path, qualname))]:
                    entry_key = key + ((exit_[0].line, exit_[0].column) if factory else ())
                    if entry_key in seen:
                        continue
                    seen.add(entry_key)
                    yield CodeHit("javascript", path, use, chains[path, qualname], target.export, handler_at, owner if rebuilt else "", exit_)
    for target in project.java_targets:
        program = target.program
        root = program.resolve(f"{target.class_name}.{target.method}")
        if root is None:
            continue
        chains = program.handler_scope([root])
        start = program.routines[root]
        handler_at = Location(program.class_file[target.class_name], start.line, start.column)
        for qualname in sorted(chains, key=lambda q: (program.class_file.get(q.rpartition(".")[0], ""), program.routines[q].line, q)):
            path = program.class_file.get(qualname.rpartition(".")[0])
            if path is None:
                continue
            for use in program.routines[qualname].uses:
                key = (path, use.line, use.column)
                if use.cached or use.kind != kind or key in seen:
                    continue
                seen.add(key)
                chain = tuple(_short(q) for q in chains[qualname])
                yield CodeHit("java", path, use, chain, _short(root), handler_at, exit=_java_exit(program, chains[qualname], handler_at.path) if path != handler_at.path else None)


def _java_exit(program, chain: tuple[str, ...], home: str) -> tuple[Location, str] | None:
    """The call in the handler's file where ``chain`` leaves it for another class's file."""
    for caller, callee in zip(chain, chain[1:]):
        if program.class_file.get(caller.rpartition(".")[0]) == home and program.class_file.get(callee.rpartition(".")[0]) != home:
            site = program.call_sites.get((caller, callee))
            return (Location(home, *site[0]), site[1]) if site else None
    return None


def _snapstart_handlers(project, declared):
    """(program, init routines, fields refreshed after restore, known) per Java handler under
    SnapStart: known from the linked configuration or config ``snapstart-files``, or inferred
    when the program implements ``org.crac.Resource``."""
    for target in project.java_targets:
        program = target.program
        path = program.class_file.get(target.class_name, target.path)
        known = target.snapstart or declared(path)
        if not known and not program.resources():
            continue
        yield program, program.init_scope(target.class_name), program.restored_fields(), known


def java_snapstart_stores(project, declared=lambda path: False) -> Iterator[tuple[str, object, object, bool]]:
    """(path, program, store, known) for every field store made while a SnapStart handler class
    is initialised (or in ``beforeCheckpoint``) and not redone after restore, once each."""
    seen: set[tuple[str, int, int]] = set()
    for program, init, refreshed, known in _snapstart_handlers(project, declared):
        for file_path, _cls, store in program.stores():
            key = (file_path, store.line, store.column)
            if store.routine not in init or store.field in refreshed or key in seen:
                continue
            seen.add(key)
            yield file_path, program, store, known


def java_snapstart_uses(project, kind: str, declared=lambda path: False) -> Iterator[tuple[str, Use, bool, str]]:
    """(path, use, known, routine) for uses of ``kind`` kept in a field during SnapStart init and
    not re-created after restore, nor behind a lazy-init guard on the same field in handler code."""
    seen: set[tuple[str, int, int]] = set()
    for program, init, refreshed, known in _snapstart_handlers(project, declared):
        guarded = {u.stored_as for r in program.routines.values() for u in r.uses if u.cached and u.stored_as}
        for qualname in sorted(init):
            path = program.class_file.get(qualname.rpartition(".")[0])
            for use in program.routines[qualname].uses:
                key = (path, use.line, use.column)
                if use.kind != kind or not use.stored_as or use.stored_as in refreshed or use.stored_as in guarded or key in seen:
                    continue
                seen.add(key)
                yield path, use, known, _short(qualname)


def unique_reason(program, store) -> str | None:
    """Why a stored value is the same in every restored environment, or None when it is not."""
    from . import catalog_java

    if store.unique:
        return f"`{store.unique[0]}`"
    for helper in store.helpers:
        resolved = program.resolve(helper)
        if resolved in program.unique_returning:
            return f"`{_short(resolved)}()`, which returns a random or time-based value"
    if store.field_type.rsplit(".", 1)[-1] in catalog_java.RNG_TYPES and not store.secure:
        return "a `java.util.Random` (its seed is cloned with the snapshot)"
    return None

