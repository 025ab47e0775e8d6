"""What the code rules look for in Java, as data.

A call is described by the type at the root of its chain and the method names along it:
``S3Client.builder().region(r).build()`` is root ``S3Client`` with methods
``("builder", "region", "build")``. Types are simple names; ``is_aws_client`` also looks at
the qualified name the imports give.
"""

from __future__ import annotations

from .codefacts import CLIENT, CONNECTION

AWS_SDK_V2_PACKAGE = "software.amazon.awssdk."
AWS_SDK_V1_PACKAGE = "com.amazonaws.services."

# LL102: (root type, first method, last method); "" = any. "new" as first method: a constructor.
CONNECTIONS: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("DriverManager", "getConnection", ""),
        ("HikariDataSource", "new", ""),
        ("Jedis", "new", ""),
        ("JedisPool", "new", ""),
        ("JedisPooled", "new", ""),
        ("JedisCluster", "new", ""),
        ("RedisClient", "create", ""),  # Lettuce
        ("RedisClusterClient", "create", ""),
        ("MongoClients", "create", ""),
        ("MongoClient", "new", ""),
        ("HttpClient", "newHttpClient", ""),  # java.net.http
        ("HttpClient", "newBuilder", "build"),
        ("HttpClients", "createDefault", ""),  # Apache HttpClient
        ("HttpClients", "createSystem", ""),
        ("HttpClients", "custom", "build"),
        ("HttpClientBuilder", "create", "build"),
        ("OkHttpClient", "new", ""),
        ("OkHttpClient.Builder", "new", "build"),
        ("ApacheHttpClient", "builder", "build"),  # the AWS SDK's own HTTP clients: connection pools
        ("ApacheHttpClient", "create", ""),
        ("UrlConnectionHttpClient", "builder", "build"),
        ("UrlConnectionHttpClient", "create", ""),
        ("AwsCrtHttpClient", "builder", "build"),
        ("AwsCrtHttpClient", "create", ""),
        ("NettyNioAsyncHttpClient", "builder", "build"),
        ("NettyNioAsyncHttpClient", "create", ""),
        ("AwsCrtAsyncHttpClient", "builder", "build"),
        ("AwsCrtAsyncHttpClient", "create", ""),
        ("CqlSession", "builder", "build"),
        ("KafkaProducer", "new", ""),
        ("KafkaConsumer", "new", ""),
        ("RestHighLevelClient", "new", ""),
        ("Socket", "new", ""),
    }
)
DATABASE_TYPES = frozenset({"DriverManager", "HikariDataSource"})

# LL103: receiver types -> config methods; methods no other API has, for receivers of unknown type
CONFIG_METHODS: dict[str, frozenset[str]] = {
    "SsmClient": frozenset({"getParameter", "getParameters", "getParametersByPath"}),
    "SsmAsyncClient": frozenset({"getParameter", "getParameters", "getParametersByPath"}),
    "AWSSimpleSystemsManagement": frozenset({"getParameter", "getParameters", "getParametersByPath"}),
    "SecretsManagerClient": frozenset({"getSecretValue", "batchGetSecretValue"}),
    "SecretsManagerAsyncClient": frozenset({"getSecretValue", "batchGetSecretValue"}),
    "AWSSecretsManager": frozenset({"getSecretValue"}),
    "AppConfigDataClient": frozenset({"getLatestConfiguration"}),
}
UNAMBIGUOUS_CONFIG_METHODS = frozenset({"getSecretValue", "getParametersByPath", "getLatestConfiguration"})

# LL110: static calls that produce a value unique or fresh per environment: (type, method)
UNIQUE_CALLS: frozenset[tuple[str, str]] = frozenset(
    {
        ("UUID", "randomUUID"),
        ("Math", "random"),
        ("StrictMath", "random"),
        ("System", "currentTimeMillis"),
        ("System", "nanoTime"),
        ("Instant", "now"),
        ("LocalDateTime", "now"),
        ("LocalDate", "now"),
        ("LocalTime", "now"),
        ("ZonedDateTime", "now"),
        ("OffsetDateTime", "now"),
        ("Calendar", "getInstance"),
        ("ThreadLocalRandom", "current"),
        ("RandomStringUtils", ""),
        ("RandomUtils", ""),
    }
)
# constructors of pseudo-random generators whose state is cloned (SecureRandom reseeds itself
# after restore on the Lambda Java runtimes, so it is not here)
RNG_TYPES = frozenset({"Random", "java.util.Random", "SplittableRandom"})
UNIQUE_CONSTRUCTORS = RNG_TYPES | frozenset({"Date"})  # `new Date()` without arguments only
# receivers whose methods draw or read a fresh value: `rng.nextInt()`, `clock.instant()`
DRAW_TYPES = frozenset({"Random", "SecureRandom", "SplittableRandom", "ThreadLocalRandom", "java.util.Random"})
DRAW_PREFIXES = ("next", "ints", "longs", "doubles")
CLOCK_TYPES = frozenset({"Clock"})
CLOCK_METHODS = frozenset({"instant", "millis"})
SECURE_TYPES = frozenset({"SecureRandom", "java.security.SecureRandom"})


def is_aws_client(simple: str, qualified: str) -> bool:
    """``S3Client`` from software.amazon.awssdk, ``DynamoDbEnhancedClient``..."""
    if qualified.startswith(AWS_SDK_V2_PACKAGE):
        return simple.endswith(("Client", "AsyncClient")) and not simple.endswith("HttpClient")
    return False


def classify(root: str, qualified: str, methods: tuple[str, ...], awssdk_wildcard: bool) -> str | None:
    """CLIENT / CONNECTION for a call chain, else None. ``methods[0]`` is "new" for a constructor."""
    first, last = methods[0], methods[-1]
    aws = is_aws_client(root, qualified) or (awssdk_wildcard and qualified == root and root.endswith("Client") and not root.endswith("HttpClient") and root[:1].isupper())
    if aws and ((first == "builder" and last == "build") or methods == ("create",)):
        return CLIENT
    if qualified.startswith(AWS_SDK_V1_PACKAGE) or root.startswith(("Amazon", "AWS")):
        if root.endswith("ClientBuilder") and last in ("build", "defaultClient"):
            return CLIENT
        if first == "new" and root.endswith("Client") and root.startswith("Amazon"):
            return CLIENT
    for (kind_root, kind_first, kind_last) in _CONNECTIONS_BY_ROOT.get(root, ()):
        if first == kind_first and (not kind_last or last == kind_last):
            return CONNECTION
    return None


def config_fetch(receiver_type: str | None, method: str) -> bool:
    if receiver_type is None:
        return method in UNAMBIGUOUS_CONFIG_METHODS
    return method in CONFIG_METHODS.get(receiver_type, ())


_CONNECTIONS_BY_ROOT: dict[str, list[tuple[str, str, str]]] = {}
for _entry in sorted(CONNECTIONS):
    _CONNECTIONS_BY_ROOT.setdefault(_entry[0], []).append(_entry)
