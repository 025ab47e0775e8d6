"""LL111 snapstart-stale-connection: a connection opened at init and restored stale by SnapStart."""

from ..analysis import catalog
from ..analysis.facts import init_functions
from ..analysis.scope import reached_functions, snapstart_init_modules
from ..findings import Location
from .base import Example, Rule, RuleContext, python, sam, unmarked

DOCS = """\
## What it does
In a function with SnapStart, finds database, cache and socket connections (the LL102 list)
opened during init and kept in a module-level name (of the handler's module or of a package
module it imports at module level), when nothing re-creates them after restore:
no `register_after_restore` hook rebinds the name, and no code in handler scope re-opens it
behind a check (`if conn is None or conn.closed:`) or pings it with reconnect.

## Why is this bad?
The snapshot captures the connection's client-side state, not the server's. By the time an
environment is restored (minutes or days later) the server has long closed that socket, so
the first query of every restored environment fails or hangs until a timeout, exactly on the
cold-start path SnapStart was meant to speed up.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->

## Java
For a Java handler under SnapStart: a JDBC connection, Hikari pool, Jedis/Lettuce client or
similar (the LL102 list) stored in a field by a static initialiser, the constructor (of the
handler, its superclasses or the classes of its fields) or `beforeCheckpoint`, when no
`afterRestore` hook assigns that field again and no handler code re-opens it behind a
`== null` check.

## References
- [Handling network connections with Lambda SnapStart](https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html)
- [Lambda SnapStart runtime hooks for Python](https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-python.html)
"""

_SNAP_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 1024
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
"""
_CONN_HANDLER = "import pymysql\n\nconn = pymysql.connect(host='db')  # expect: LL111\n\ndef lambda_handler(event, context):\n    return conn.cursor().execute('select 1')\n"


_JAVA_SAM = _SNAP_SAM.replace("CodeUri: src/", "CodeUri: orders/").replace("Handler: app.lambda_handler", "Handler: example.App::handleRequest").replace("Runtime: python3.12", "Runtime: java21")
_JAVA_CONN = """\
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.sql.Connection;
import java.sql.DriverManager;

public class App implements RequestHandler<String, Boolean> {
    private static Connection conn;

    static {
        try {
            conn = DriverManager.getConnection(System.getenv("JDBC_URL"));  // expect: LL111
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Boolean handleRequest(String event, Context context) {
        try {
            return conn.isValid(1);
        } catch (Exception e) {
            return false;
        }
    }
}
"""
_JAVA_CONN_RESTORED = _JAVA_CONN.replace("import java.sql.DriverManager;\n", "import java.sql.DriverManager;\nimport org.crac.Core;\nimport org.crac.Resource;\n").replace(
    "public class App implements RequestHandler<String, Boolean> {", "public class App implements RequestHandler<String, Boolean>, Resource {"
).replace(
    "    public Boolean handleRequest(",
    "    public App() { Core.getGlobalContext().register(this); }\n\n    @Override\n    public void beforeCheckpoint(org.crac.Context<? extends Resource> c) throws Exception { conn.close(); }\n\n    @Override\n    public void afterRestore(org.crac.Context<? extends Resource> c) throws Exception {\n        conn = DriverManager.getConnection(System.getenv(\"JDBC_URL\"));\n    }\n\n    public Boolean handleRequest(",
)


def check(ctx: RuleContext):
    connections = catalog.CONNECTIONS | set(ctx.settings.extra_connections)
    for module, targets, known, imported_by in snapstart_init_modules(ctx.project.code_targets, ctx.settings.declares_snapstart):
        facts = module.facts
        hooks = [facts.functions[h] for h in sorted(facts.after_restore_hooks) if h in facts.functions]
        refreshed = set().union(*(h.global_assigns for h in hooks)) if hooks else set()
        # a guarded re-open of the same global, or a ping/reconnect call, in handler scope (in
        # this module: a helper module's globals are re-opened by the helper's own functions)
        scope = [r.function for target in targets for r in reached_functions(target) if r.path == module.path]
        guarded = {u.stored_as for fn in scope for u in fn.uses if u.cached and u.stored_as}
        pinged = {u.qualname.rsplit(".", 1)[0] for fn in scope for u in fn.uses if u.qualname.rpartition(".")[2] in catalog.REFRESH_METHODS}
        at_init = [(u, None) for u in facts.init_uses]
        for name in sorted(init_functions(facts) - facts.after_restore_hooks):
            at_init.extend((u, name) for u in facts.functions[name].uses)
        for use, via in at_init:
            if use.qualname not in connections or not use.stored_as:
                continue
            if use.stored_as in refreshed or use.stored_as in guarded or f"{use.qualname}()" in pinged:
                continue
            how = "SnapStart is enabled for this function" if known else "this module uses SnapStart runtime hooks"
            where = f" (this module is imported by the handler module {imported_by})" if imported_by else ""
            yield ctx.finding(
                f"`{use.qualname}()` stored in `{use.stored_as}` is opened during init{where}; {how}, so restored environments "
                "start with a connection the server closed long ago; re-open it in a register_after_restore hook or "
                "check it before use",
                Location(module.path, use.line, use.column, use.end_line, use.end_column),
                subject=f"{module.path}:{use.stored_as}",
            )
    if ctx.project.java_targets:
        from ..analysis.js_java_scope import java_snapstart_uses

        for path, use, known, routine in java_snapstart_uses(ctx.project, "connection", ctx.settings.declares_snapstart):
            field = ".".join(use.stored_as.split(".")[-2:])
            how = "SnapStart is enabled for this function" if known else "this code registers CRaC hooks (org.crac), so it runs under SnapStart"
            yield ctx.finding(
                f"`{use.name}` stored in `{field}` is opened during init ({routine}); {how}, so restored environments start "
                "with a connection the server closed long ago; close it in `beforeCheckpoint` and open it again in "
                "`afterRestore`, or check it before use (`if (conn == null || conn.isClosed())`)",
                Location(path, use.line, use.column, use.end_line, use.end_column),
                subject=f"{path}:{field}",
            )


RULE = Rule(
    id="LL111",
    name="snapstart-stale-connection",
    level="warning",
    summary="A connection opened during init is restored stale by SnapStart",
    docs=DOCS,
    check=check,
    must_fire=(
        Example({"template.yaml": _JAVA_SAM, "orders/src/main/java/example/App.java": _JAVA_CONN}, "Java JDBC connection in a static field"),
        sam(_SNAP_SAM, "SnapStart in the template", docs=True, src__app_py=_CONN_HANDLER),
        python("import redis\nfrom snapshot_restore_py import register_before_snapshot\n\ncache = redis.Redis(host='cache')  # expect: LL111\n\ndef lambda_handler(event, context):\n    return cache.get('k')\n", "inferred from hooks"),
    ),
    must_not_fire=(
        Example({"template.yaml": _JAVA_SAM, "orders/src/main/java/example/App.java": unmarked(_JAVA_CONN_RESTORED)}, "Java connection re-opened in afterRestore"),
        python(unmarked(_CONN_HANDLER), "no SnapStart"),
        sam(_SNAP_SAM, "re-opened after restore", docs=True, src__app_py="import pymysql\nfrom snapshot_restore_py import register_after_restore\n\nconn = pymysql.connect(host='db')\n\ndef reconnect():\n    global conn\n    conn = pymysql.connect(host='db')\n\nregister_after_restore(reconnect)\n\ndef lambda_handler(event, context):\n    return conn.cursor()\n"),
        sam(_SNAP_SAM, "reconnect guard where used", src__app_py="import psycopg2\n\nconn = psycopg2.connect(host='db')\n\ndef get_conn():\n    global conn\n    if conn.closed:\n        conn = psycopg2.connect(host='db')\n    return conn\n\ndef lambda_handler(event, context):\n    return get_conn().cursor()\n"),
    ),
    tags=("snapstart", "reliability"),
    default_reason="under SnapStart a connection from init is restored stale: a reliability bug",
)
