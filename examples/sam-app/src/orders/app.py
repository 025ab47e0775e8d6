"""Orders API: GET /orders/{id} reads DynamoDB, POST /orders also writes an audit row to Postgres.

This handler shows the patterns lambdalint stays silent on: the AWS clients are built once
per execution environment at import time, and the database connection is opened lazily on
first use and then kept in a module-level global for later invocations.
"""

import json
import os
import uuid

import boto3
import psycopg2
from aws_lambda_powertools import Logger

logger = Logger()

# Built once, at import. Every warm invocation reuses them (and their connection pools).
dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(os.environ["TABLE_NAME"])
secrets = boto3.client("secretsmanager")

_conn = None


def get_connection():
    """Open the audit database connection on first use and keep it for warm invocations."""
    global _conn
    if _conn is None:
        secret = json.loads(secrets.get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])
        _conn = psycopg2.connect(
            host=os.environ["DB_HOST"],
            dbname="orders",
            user=secret["username"],
            password=secret["password"],
            connect_timeout=3,
        )
        _conn.autocommit = True
    return _conn


def get_order(order_id):
    item = table.get_item(Key={"pk": f"ORDER#{order_id}"}).get("Item")
    if item is None:
        return {"statusCode": 404, "body": json.dumps({"message": "order not found"})}
    return {"statusCode": 200, "body": json.dumps(item, default=str)}


def create_order(body):
    order_id = str(uuid.uuid4())
    table.put_item(Item={"pk": f"ORDER#{order_id}", "items": body.get("items", []), "status": "NEW"})
    with get_connection().cursor() as cur:
        cur.execute("INSERT INTO audit (order_id, action) VALUES (%s, %s)", (order_id, "created"))
    return {"statusCode": 201, "body": json.dumps({"id": order_id})}


@logger.inject_lambda_context
def lambda_handler(event, context):
    method = event["requestContext"]["http"]["method"]
    if method == "GET":
        return get_order(event["pathParameters"]["id"])
    return create_order(json.loads(event.get("body") or "{}"))
