"""What the code rules look for, as data: one place to read, extend and test.

Names are fully qualified call targets after import-alias resolution. ``X()`` stands for "an
object returned by calling X", so ``boto3.Session().client`` is ``.client`` on a session.
"""

from __future__ import annotations

# LL101: AWS SDK clients, resources and sessions.
CLIENTS = frozenset(
    {
        "boto3.client",
        "boto3.resource",
        "boto3.Session",
        "boto3.session.Session",
        "boto3.Session().client",
        "boto3.Session().resource",
        "boto3.session.Session().client",
        "boto3.session.Session().resource",
        "botocore.session.get_session().create_client",
        "botocore.session.Session().create_client",
        "botocore.session.get_session",
        "botocore.session.Session",
        "aiobotocore.session.get_session",
        "aiobotocore.session.AioSession",
        "aioboto3.Session",
        "aioboto3.session.Session",
        "aioboto3.Session().client",
        "aioboto3.Session().resource",
        "aioboto3.session.Session().client",
        "aioboto3.session.Session().resource",
        "aiobotocore.session.get_session().create_client",
        "aiobotocore.session.AioSession().create_client",
    }
)

# LL102: network connections, pools and long-lived HTTP clients.
CONNECTIONS = frozenset(
    {
        "psycopg2.connect",
        "psycopg2.pool.SimpleConnectionPool",
        "psycopg2.pool.ThreadedConnectionPool",
        "psycopg.connect",
        "psycopg.Connection.connect",
        "psycopg.AsyncConnection.connect",
        "psycopg_pool.ConnectionPool",
        "pymysql.connect",
        "pymysql.Connect",
        "pymysql.connections.Connection",
        "MySQLdb.connect",
        "mysql.connector.connect",
        "aurora_dsql_psycopg2.connect",
        "aurora_dsql_psycopg.connect",
        "pg8000.connect",
        "pg8000.native.Connection",
        "pg8000.dbapi.connect",
        "asyncpg.connect",
        "asyncpg.create_pool",
        "sqlalchemy.create_engine",
        "sqlalchemy.ext.asyncio.create_async_engine",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "redis.Redis.from_url",
        "redis.StrictRedis.from_url",
        "redis.client.Redis",
        "redis.ConnectionPool",
        "redis.RedisCluster",
        "redis.cluster.RedisCluster",
        "redis.asyncio.Redis",
        "redis.asyncio.from_url",
        "pymongo.MongoClient",
        "motor.motor_asyncio.AsyncIOMotorClient",
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "urllib3.PoolManager",
        "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool",
        "elasticsearch.Elasticsearch",
        "opensearchpy.OpenSearch",
        "opensearchpy.AsyncOpenSearch",
        "grpc.insecure_channel",
        "grpc.secure_channel",
        "grpc.aio.insecure_channel",
        "grpc.aio.secure_channel",
        "pika.BlockingConnection",
        "kafka.KafkaProducer",
        "kafka.KafkaConsumer",
        "confluent_kafka.Producer",
        "confluent_kafka.Consumer",
        "aiokafka.AIOKafkaProducer",
        "aiokafka.AIOKafkaConsumer",
        "snowflake.connector.connect",
        "cx_Oracle.connect",
        "oracledb.connect",
        "pyodbc.connect",
        "pymssql.connect",
        "cassandra.cluster.Cluster",
        "neo4j.GraphDatabase.driver",
        # Amazon Neptune through Gremlin: each opens a WebSocket connection
        "gremlin_python.driver.driver_remote_connection.DriverRemoteConnection",
        "gremlin_python.driver.client.Client",
        # found in real handlers: connections and vendor SDK clients with their own pools
        "http.client.HTTPSConnection",
        "http.client.HTTPConnection",
        "botocore.httpsession.URLLib3Session",
        "elasticsearch.AsyncElasticsearch",
        "rediscluster.RedisCluster",
        "pymemcache.client.base.Client",
        "pymemcache.Client",
        "slack_sdk.WebClient",
        "slack_sdk.web.WebClient",
        "slack_sdk.web.client.WebClient",
        "slack_sdk.web.async_client.AsyncWebClient",
        "slack.WebClient",
        "stripe.StripeClient",
        "twilio.rest.Client",
        "hvac.Client",
        "openai.OpenAI",
        "openai.AsyncOpenAI",
        "anthropic.Anthropic",
        "pgdb.connect",
        "ibm_db.connect",
        "ibm_db_dbi.connect",
        "influxdb_client.InfluxDBClient",
        "requests_futures.sessions.FuturesSession",
        "requests_futures.FuturesSession",
    }
)

# Relational database drivers among CONNECTIONS (DB-facing evidence for LL401).
DATABASE_PREFIXES = (
    "pgdb",
    "ibm_db",
    "psycopg",
    "pymysql",
    "MySQLdb",
    "mysql.",
    "pg8000",
    "asyncpg",
    "sqlalchemy",
    "cx_Oracle",
    "oracledb",
    "pyodbc",
    "pymssql",
    "snowflake",
)

# LL103: configuration and secret fetches (method names on the matching boto3 client).
CONFIG_FETCHES = {
    "ssm": frozenset({"get_parameter", "get_parameters", "get_parameters_by_path"}),
    "secretsmanager": frozenset({"get_secret_value", "batch_get_secret_value"}),
    "appconfigdata": frozenset({"get_latest_configuration"}),
    "appconfig": frozenset({"get_configuration"}),
}

# LL110: values that must be unique or fresh per execution environment.
UNIQUE_EXACT = frozenset(
    {
        "uuid.uuid1",
        "uuid.uuid4",
        "os.urandom",
        "time.time",
        "time.time_ns",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
    }
)
UNIQUE_PREFIXES = ("random.", "secrets.", "numpy.random.")
# Stateless: draws from the OS on every call, so nothing is cloned by a snapshot.
UNIQUE_EXCEPTIONS = frozenset({"random.SystemRandom", "secrets.SystemRandom"})

# LL301: evidence that per-invocation work is CPU-bound.
CPU_MODULES = ("numpy", "pandas", "scipy", "PIL", "cv2", "sklearn", "skimage", "imageio", "moviepy", "fitz", "pypdf", "PyPDF2", "reportlab", "cryptography", "bcrypt", "nacl", "torch", "tensorflow")
CPU_CALLS = frozenset(
    {
        "hashlib.pbkdf2_hmac",
        "hashlib.scrypt",
        "zlib.compress",
        "zlib.decompress",
        "gzip.compress",
        "gzip.decompress",
        "lzma.compress",
        "lzma.decompress",
        "bz2.compress",
        "bz2.decompress",
    }
)

# Which names can lead to a catalogued call: facts.py walks only the code that mentions one, so a
# new list above must be folded in here.
#   PREFIX_ROOTS: every call under these packages matters (RNGs, CPU-heavy libraries, SnapStart hooks);
#   EXACT_CALLS: the other catalogued calls, including constructor chains such as
#   ``boto3.Session().client``; a name matters when it is on the way to one of them;
#   MEMBER_ROOTS: everyday modules (os, time, datetime...) where only those calls matter, so a
#   mention of the module alone (``os.environ``) is not enough.
PREFIX_ROOTS = frozenset({p.split(".")[0] for p in UNIQUE_PREFIXES} | set(CPU_MODULES) | {"snapshot_restore_py"})
EXACT_CALLS = frozenset(CLIENTS | CONNECTIONS | UNIQUE_EXACT | CPU_CALLS)
MEMBER_ROOTS = frozenset(q.split(".")[0] for q in UNIQUE_EXACT | CPU_CALLS) - {q.split(".")[0] for q in CLIENTS | CONNECTIONS} - PREFIX_ROOTS
# method names recorded whatever their receiver: config fetches (LL103) and reconnects (LL111)
FETCH_METHODS = frozenset().union(*CONFIG_FETCHES.values())
REFRESH_METHODS = frozenset({"ping", "reconnect"})


_USE_METHODS = FETCH_METHODS | REFRESH_METHODS


def use_matters(qualname: str) -> bool:
    """Whether any code rule reads a call of this name (facts.py records only these)."""
    return (
        qualname in EXACT_CALLS  # LL101, LL102, LL110, LL111, LL301
        or qualname.split(".", 1)[0] in PREFIX_ROOTS  # LL110 RNGs, LL301 libraries, SnapStart hooks
        or qualname.rpartition(".")[2] in _USE_METHODS  # LL103 fetches, LL111 reconnects
        or qualname.startswith(DATABASE_PREFIXES)  # LL401 evidence
    )
