"""LL102 connection-in-handler: a network connection or pool opened on every invocation."""

from ..analysis import catalog
from ..analysis.scope import display_call, per_invocation
from .base import Example, Rule, RuleContext, python

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
```python
import psycopg2

def lambda_handler(event, context):
    conn = psycopg2.connect(host="db", dbname="orders")
    with conn.cursor() as cur:
        cur.execute("select 1")
```

## Use instead
```python
import psycopg2

_conn = None

def get_conn():
    global _conn
    if _conn is None or _conn.closed:
        _conn = psycopg2.connect(host="db", dbname="orders")
    return _conn

def lambda_handler(event, context):
    with get_conn().cursor() as cur:
        cur.execute("select 1")
```
For relational databases under real concurrency, put RDS Proxy in front as well.

## References
- [Best practices for working with AWS Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html)
- [Using Amazon RDS Proxy with Lambda](https://docs.aws.amazon.com/lambda/latest/dg/configuration-database.html)
"""


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


RULE = Rule(
    id="LL102",
    name="connection-in-handler",
    level="warning",
    summary="A network connection, pool or long-lived HTTP client is opened on every invocation",
    docs=DOCS,
    check=check,
    must_fire=(
        python("import psycopg2\n\ndef lambda_handler(event, context):\n    conn = psycopg2.connect(host='db')\n    return conn.cursor().execute('select 1')\n", "psycopg2 in the handler"),
        python("import requests\n\nclass Api:\n    def __init__(self):\n        self.http = requests.Session()\n\ndef handler(event, context):\n    return Api().http.get('https://example.com').status_code\n", "class instantiated per invocation"),
        Example({"app.py": "import notify\n\ndef handler(event, context):\n    return notify.send(event['message'])\n", "notify.py": "import requests\n\ndef send(text):\n    with requests.Session() as http:\n        return http.post('https://hooks.example.com', json={'text': text}).status_code\n"}, "a helper module opens a session per call"),
        python("from redis import Redis\nfrom aws_lambda_powertools.event_handler import APIGatewayRestResolver\napp = APIGatewayRestResolver()\n\n@app.get('/items')\ndef items():\n    return Redis(host='cache').get('items')\n\ndef lambda_handler(event, context):\n    return app.resolve(event, context)\n", "Powertools route"),
    ),
    must_not_fire=(
        python("import aiohttp\n\nasync def route_handler(request):\n    async with aiohttp.ClientSession() as http:\n        return await http.get('http://localhost:8080')\n", "a *_handler taking one argument is a web route, not a Lambda entry point"),
        python("import pymysql\n_conn = None\n\ndef conn():\n    global _conn\n    if not _conn:\n        _conn = pymysql.connect(host='db')\n    return _conn\n\ndef lambda_handler(event, context):\n    return conn().ping()\n", "lazy init with not"),
        python("import psycopg2\n_conn = None\n\ndef conn():\n    global _conn\n    if _conn is None or _conn.closed:\n        _conn = psycopg2.connect(host='db')\n    return _conn\n\ndef lambda_handler(event, context):\n    return conn().cursor()\n", "lazy init with closed check"),
        python("import requests\nhttp = requests.Session()\n\ndef lambda_handler(event, context):\n    return http.get('https://example.com').status_code\n", "module-level session"),
        python("import requests\n\ndef lambda_handler(event, context):\n    return requests.get('https://example.com').status_code\n", "a one-off request is not a session"),
    ),
    tags=("performance", "latency", "reliability"),
)
