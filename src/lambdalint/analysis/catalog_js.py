"""What the code rules look for in JavaScript/TypeScript, as data.

A call target is written ``module:path`` after import resolution: ``new S3Client()`` with
``import { S3Client } from "@aws-sdk/client-s3"`` is ``@aws-sdk/client-s3:S3Client``;
``mysql.createPool()`` with ``const mysql = require("mysql2/promise")`` is
``mysql2/promise:createPool``; a default import is the module itself (``ioredis:``).
"""

from __future__ import annotations

from .codefacts import CLIENT, CONFIG_FETCH, CONNECTION

# LL102: (module, path) -> how it is used: "new" (constructor), "call", or "any"
CONNECTIONS: dict[tuple[str, str], str] = {
    ("mysql", "createConnection"): "call",
    ("mysql", "createPool"): "call",
    ("mysql", "createPoolCluster"): "call",
    ("mysql2", "createConnection"): "call",
    ("mysql2", "createPool"): "call",
    ("mysql2", "createPoolCluster"): "call",
    ("mysql2/promise", "createConnection"): "call",
    ("mysql2/promise", "createPool"): "call",
    ("pg", "Pool"): "new",
    ("pg", "Client"): "new",
    ("pg-pool", ""): "new",
    ("postgres", ""): "call",
    ("@neondatabase/serverless", "Pool"): "new",
    ("@neondatabase/serverless", "Client"): "new",
    ("mongodb", "MongoClient"): "new",
    ("mongodb", "MongoClient.connect"): "call",
    ("mongoose", "connect"): "call",
    ("mongoose", "createConnection"): "call",
    ("ioredis", ""): "new",
    ("ioredis", "Redis"): "new",
    ("ioredis", "Cluster"): "new",
    ("ioredis", "Redis.Cluster"): "new",
    ("redis", "createClient"): "call",
    ("redis", "createCluster"): "call",
    ("axios", "create"): "call",
    ("http", "Agent"): "new",
    ("https", "Agent"): "new",
    ("node:http", "Agent"): "new",
    ("node:https", "Agent"): "new",
    ("undici", "Agent"): "new",
    ("undici", "Pool"): "new",
    ("undici", "Client"): "new",
    ("@prisma/client", "PrismaClient"): "new",
    ("sequelize", "Sequelize"): "new",
    ("sequelize", ""): "new",
    ("knex", ""): "call",
    ("typeorm", "DataSource"): "new",
    ("typeorm", "createConnection"): "call",
    ("mssql", "connect"): "call",
    ("mssql", "ConnectionPool"): "new",
    ("oracledb", "getConnection"): "call",
    ("oracledb", "createPool"): "call",
    ("@elastic/elasticsearch", "Client"): "new",
    ("@opensearch-project/opensearch", "Client"): "new",
    ("kafkajs", "Kafka"): "new",
    ("amqplib", "connect"): "call",
    ("cassandra-driver", "Client"): "new",
    ("neo4j-driver", "driver"): "call",
}
# relational databases among CONNECTIONS (the modules)
DATABASE_MODULES = frozenset({"mysql", "mysql2", "mysql2/promise", "pg", "pg-pool", "postgres", "@neondatabase/serverless", "@prisma/client", "sequelize", "knex", "typeorm", "mssql", "oracledb"})

# LL103: SDK v3 command classes per module, and SDK v2 / v3-aggregated method names per service
CONFIG_COMMANDS: dict[str, frozenset[str]] = {
    "@aws-sdk/client-ssm": frozenset({"GetParameterCommand", "GetParametersCommand", "GetParametersByPathCommand"}),
    "@aws-sdk/client-secrets-manager": frozenset({"GetSecretValueCommand", "BatchGetSecretValueCommand"}),
    "@aws-sdk/client-appconfigdata": frozenset({"GetLatestConfigurationCommand"}),
}
CONFIG_METHODS: dict[str, frozenset[str]] = {
    "SSM": frozenset({"getParameter", "getParameters", "getParametersByPath"}),
    "SecretsManager": frozenset({"getSecretValue", "batchGetSecretValue"}),
    "AppConfigData": frozenset({"getLatestConfiguration"}),
}
# SDK v2 class names that are not clients
_V2_NOT_CLIENTS = frozenset({"Config", "Credentials", "Endpoint", "EnvironmentCredentials", "SharedIniFileCredentials", "ChainableTemporaryCredentials", "TemporaryCredentials", "WebIdentityCredentials", "CredentialProviderChain", "Request", "Response", "Service", "HttpRequest", "Signers", "util", "config", "EventListeners", "MetadataService", "ECSCredentials", "EC2MetadataCredentials", "ProcessCredentials", "TokenFileWebIdentityCredentials", "SequentialExecutor"})
DOCUMENT_CLIENT_FACTORIES = frozenset({"DynamoDBDocumentClient.from", "DynamoDBDocument.from"})


def is_sdk_v2(module: str) -> bool:
    return module == "aws-sdk" or module.startswith("aws-sdk/")


def client_service(module: str, path: str) -> str | None:
    """The service name of an SDK client class (``S3``, ``SSM``, ``DynamoDB.DocumentClient``), or None."""
    if module.startswith("@aws-sdk/client-"):
        name = path.split(".")[-1]
        if not name or not name[0].isupper() or name.endswith(("Command", "Exception", "Paginator", "Error")):
            return None
        return name[: -len("Client")] if name.endswith("Client") and len(name) > len("Client") else name
    if is_sdk_v2(module):
        if module.startswith("aws-sdk/clients/"):
            return path or module.rsplit("/", 1)[-1]
        first = path.split(".")[0]
        if not first or not first[0].isupper() or first in _V2_NOT_CLIENTS:
            return None
        return path
    return None


def classify(module: str, path: str, how: str) -> str | None:
    """CLIENT / CONNECTION / CONFIG_FETCH for a resolved call target, else None. ``how`` is
    "new" for ``new X()``, "call" for ``X()``."""
    if how == "new" and client_service(module, path):
        return CLIENT
    if how == "call" and module == "@aws-sdk/lib-dynamodb" and path in DOCUMENT_CLIENT_FACTORIES:
        return CLIENT
    if how == "new" and path in CONFIG_COMMANDS.get(module, ()):
        return CONFIG_FETCH
    wanted = CONNECTIONS.get((module, path))
    if wanted in (how, "any"):
        return CONNECTION
    return None


def config_method(service: str | None, method: str) -> bool:
    """Whether ``method`` on an SDK client of ``service`` reads configuration or a secret."""
    if not service:
        return False
    return method in CONFIG_METHODS.get(service.replace("Client", ""), ())
