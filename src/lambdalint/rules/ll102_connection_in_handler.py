"""LL102 connection-in-handler: a network connection or pool opened on every invocation."""

from ..analysis import catalog
from ..analysis.scope import display_call, per_invocation
from .base import Example, Rule, RuleContext, python, unmarked

DOCS = """\
## What it does
Finds database connections, connection pools and long-lived network clients opened in handler
scope (the handler and every function it calls per invocation, across the modules of the code
package, as LL101 describes): psycopg2/psycopg, PyMySQL, mysql-connector, pg8000, PyGreSQL and
asyncpg `connect`, SQLAlchemy `create_engine`, Redis clients, `pymongo.MongoClient`,
`requests.Session`, `httpx.Client`/`AsyncClient`, `aiohttp.ClientSession`,
`urllib3.PoolManager`, `http.client.HTTPSConnection`, Elasticsearch/OpenSearch, gRPC channels,
pika, Kafka producers and consumers, vendor SDK clients with their own connection pools (Slack
`WebClient`, Stripe, Twilio, Vault, OpenAI, InfluxDB), plus the names in config
`extra-connections`.

Connections opened at module level, in functions called only at import, in
`lru_cache`/`cache` factories, or behind a lazy-init check (`if _conn is None or _conn.closed:`)
are not reported.

## Why is this bad?
Every invocation pays DNS, TCP and TLS setup and the database's authentication round trips,
often more than the query itself. Worse, concurrency multiplies it: at a few hundred concurrent
environments a relational database runs out of `max_connections` and starts refusing everyone.
A connection opened once per execution environment is reused by every warm invocation.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
For relational databases under real concurrency, put RDS Proxy in front as well.

## Node.js, TypeScript and Java
Node.js: `mysql`/`mysql2` `createConnection`/`createPool`, `new Pool()`/`new Client()` from
`pg`, `new MongoClient()`, `mongoose.connect`, `new Redis()` (ioredis), `redis.createClient`,
`axios.create`, `new https.Agent()`, `new PrismaClient()`, Sequelize, knex and more. Java:
`DriverManager.getConnection`, `new HikariDataSource`, Jedis and Lettuce clients,
`MongoClients.create`, `HttpClient.newHttpClient()`, Apache and OkHttp clients, the SDK's own
HTTP clients built alone. Keep them at module scope (JavaScript) or in a static field or the
constructor (Java), or create them lazily behind a check on a long-lived variable or field:
```javascript
let pool;
const getPool = () => (pool ??= new Pool({ max: 1 }));
```
A JDBC connection from `DriverManager` can go stale while the environment lives (idle timeouts,
database restarts, failovers), so the advice for it is a static field reopened lazily when it is
missing or no longer valid (`conn == null || !conn.isValid(1)`), or a small pool that validates
its connections.

## Fix safety
`--fix` acts only when every input of the call is the same for the life of the execution
environment (literals, module-level names no function rebinds, `os.environ` / `os.getenv`).
- psycopg/psycopg2, PyMySQL and mysql-connector connections get a lazy-init getter that opens the
  connection on first use and reopens it when it was closed (`_conn is None or _conn.closed`),
  and the call becomes a call of the getter. This fix is **unsafe** (`--unsafe-fixes`): it
  changes when the connection opens, and one connection now serves many invocations, so a
  transaction left open by one invocation is still open in the next.
- Redis, MongoDB, SQLAlchemy engines, urllib3 pools and Elasticsearch/OpenSearch clients manage
  and reopen their own connections: they become a module constant (safe).
- `requests.Session` and `httpx.Client` become a module constant too, but that fix is
  **unsafe**: a session keeps cookies, which would then travel from one invocation to the next.

No fix is offered for async clients (aiohttp, httpx.AsyncClient, asyncpg, redis.asyncio: they
belong to one event loop), for a connection used as a context manager or closed in the same
function (a shared one would be unusable next time), or when the connection's inputs come from
the invocation; `--fix` says which.

## References
- [Best practices for working with AWS Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html)
- [Using Amazon RDS Proxy with Lambda](https://docs.aws.amazon.com/lambda/latest/dg/configuration-database.html)
"""


# A JDBC connection kept for the environment's life goes stale (database restarts, idle timeouts,
# failovers): a plain static field or constructor would hand later invocations a dead connection.
_JDBC_IDIOM = (
    "keep one per execution environment in a static field, reopened lazily when it is missing or no "
    "longer valid (`if (conn == null || !conn.isValid(1))`), or use a small pool that validates "
    "connections (HikariCP with `maximumPoolSize` 1)"
)


def check(ctx: RuleContext):
    connections = catalog.CONNECTIONS | set(ctx.settings.extra_connections)
    for hit in per_invocation(ctx.project.code_targets, lambda use: use.qualname in connections):
        yield ctx.finding(
            f"`{display_call(hit.use)}`{hit.elsewhere} opens a new connection on every invocation (via {hit.via}); "
            "open it once per execution environment (module level or a lazy-init global) and reuse it",
            hit.location,
            related=hit.related(),
            subject=hit.subject,
        )
    if ctx.project.script_targets or ctx.project.java_targets:
        from ..analysis.js_java_scope import per_invocation as js_java_per_invocation

        for hit in js_java_per_invocation(ctx.project, "connection"):
            advice = _JDBC_IDIOM if hit.language == "java" and hit.use.name.startswith("DriverManager.") else hit.idiom
            yield ctx.finding(
                f"`{hit.use.name}`{hit.elsewhere} opens a new connection or pool on every invocation (via {hit.via}); {advice}",
                hit.location,
                related=hit.related(),
                subject=hit.subject,
            )


_NODE_PER_CALL = """\
const mysql = require("mysql2/promise");

exports.handler = async (event) => {
  const conn = await mysql.createConnection({ host: process.env.DB_HOST });  // expect: LL102
  const [rows] = await conn.query("select 1");
  return rows;
};
"""
_NODE_LAZY = """\
const { Pool } = require("pg");

let pool;

function getPool() {
  if (!pool) {
    pool = new Pool({ host: process.env.DB_HOST, max: 1 });
  }
  return pool;
}

exports.handler = async (event) => (await getPool().query("select 1")).rows;
"""
_JAVA_PER_CALL = """\
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.sql.Connection;
import java.sql.DriverManager;

public class Orders implements RequestHandler<String, Boolean> {
    public Boolean handleRequest(String event, Context context) {
        try (Connection conn = DriverManager.getConnection(System.getenv("JDBC_URL"))) {  // expect: LL102
            return conn.isValid(1);
        } catch (Exception e) {
            return false;
        }
    }
}
"""
_JAVA_LAZY = _JAVA_PER_CALL.replace("public class Orders implements RequestHandler<String, Boolean> {\n", "public class Orders implements RequestHandler<String, Boolean> {\n    private static Connection conn;\n\n    private static Connection connection() throws Exception {\n        if (conn == null || conn.isClosed()) {\n            conn = DriverManager.getConnection(System.getenv(\"JDBC_URL\"));\n        }\n        return conn;\n    }\n\n").replace("try (Connection conn = DriverManager.getConnection(System.getenv(\"JDBC_URL\")))", "try").replace("return conn.isValid(1)", "return connection().isValid(1)")


RULE = Rule(
    id="LL102",
    name="connection-in-handler",
    level="warning",
    summary="A network connection, pool or long-lived HTTP client is opened on every invocation",
    docs=DOCS,
    check=check,
    must_fire=(
        Example({"index.js": _NODE_PER_CALL}, "Node.js mysql2 connection per invocation"),
        Example({"src/main/java/example/Orders.java": _JAVA_PER_CALL}, "Java JDBC connection per invocation"),
        Example({"app.py": "import notify\n\ndef handler(event, context):\n    return notify.send(event['message'])  # expect: LL102\n", "notify.py": "import requests\n\ndef send(text):\n    with requests.Session() as http:\n        return http.post('https://hooks.example.com', json={'text': text}).status_code\n"}, "a helper module opens a session per call"),
        python(
            "import psycopg2\n\ndef lambda_handler(event, context):\n    conn = psycopg2.connect(host='db')  # expect: LL102\n    return conn.cursor().execute('select 1')\n",
            "psycopg2 in the handler", docs=True,
            fixed=(
                "import psycopg2\n\n_db_connection = None\n\n\ndef get_db_connection():\n"
                '    """Open the connection once per execution environment; reopen it when it was closed."""\n'
                "    global _db_connection\n    if _db_connection is None or _db_connection.closed:\n"
                "        _db_connection = psycopg2.connect(host='db')\n    return _db_connection\n\n\n"
                "def lambda_handler(event, context):\n    conn = get_db_connection()  # expect: LL102\n    return conn.cursor().execute('select 1')\n"
            ),
            unsafe_fix=True,
        ),
        python(
            "import requests\n\nclass Api:\n    def __init__(self):\n        self.http = requests.Session()  # expect: LL102\n\ndef handler(event, context):\n    return Api().http.get('https://example.com').status_code\n",
            "class instantiated per invocation",
            fixed="import requests\n\nHTTP_SESSION = requests.Session()\n\nclass Api:\n    def __init__(self):\n        self.http = HTTP_SESSION  # expect: LL102\n\ndef handler(event, context):\n    return Api().http.get('https://example.com').status_code\n",
            unsafe_fix=True,
        ),
        python(
            "from redis import Redis\nfrom aws_lambda_powertools.event_handler import APIGatewayRestResolver\napp = APIGatewayRestResolver()\n\n@app.get('/items')\ndef items():\n    return Redis(host='cache').get('items')  # expect: LL102\n\ndef lambda_handler(event, context):\n    return app.resolve(event, context)\n",
            "Powertools route",
            fixed="from redis import Redis\nfrom aws_lambda_powertools.event_handler import APIGatewayRestResolver\n\nREDIS_CLIENT = Redis(host='cache')\napp = APIGatewayRestResolver()\n\n@app.get('/items')\ndef items():\n    return REDIS_CLIENT.get('items')  # expect: LL102\n\ndef lambda_handler(event, context):\n    return app.resolve(event, context)\n",
        ),
        python(
            "import pymysql\n\ndef handler(event, context):\n    with pymysql.connect(host='db', user=event['user']) as conn:  # expect: LL102\n        return conn.ping()\n",
            "per-invocation user: no fix",
        ),
    ),
    must_not_fire=(
        Example({"index.js": _NODE_LAZY}, "Node.js lazily created pool"),
        Example({"src/main/java/example/Orders.java": unmarked(_JAVA_LAZY)}, "Java connection behind a null check"),
        python("import aiohttp\n\nasync def route_handler(request):\n    async with aiohttp.ClientSession() as http:\n        return await http.get('http://localhost:8080')\n", "a *_handler taking one argument is a web route, not a Lambda entry point"),
        python("import pymysql\n_conn = None\n\ndef conn():\n    global _conn\n    if not _conn:\n        _conn = pymysql.connect(host='db')\n    return _conn\n\ndef lambda_handler(event, context):\n    return conn().ping()\n", "lazy init with not"),
        python("import psycopg2\n_conn = None\n\ndef conn():\n    global _conn\n    if _conn is None or _conn.closed:\n        _conn = psycopg2.connect(host='db')\n    return _conn\n\ndef lambda_handler(event, context):\n    return conn().cursor()\n", "lazy init with closed check", docs=True),
        python("import requests\nhttp = requests.Session()\n\ndef lambda_handler(event, context):\n    return http.get('https://example.com').status_code\n", "module-level session"),
        python("import requests\n\ndef lambda_handler(event, context):\n    return requests.get('https://example.com').status_code\n", "a one-off request is not a session"),
    ),
    tags=("performance", "latency", "reliability"),
    default_reason="a connection per invocation costs a handshake per call and can exhaust the server's connections",
)
