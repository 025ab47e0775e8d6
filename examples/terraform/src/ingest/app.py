"""Event ingest: batch-writes incoming events to DynamoDB.

Anti-pattern on purpose: the DynamoDB resource is built inside the handler, so every
invocation pays to create it again (LL101). Move it to module level.
"""

import os
import time

import boto3


def lambda_handler(event, context):
    table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    now = int(time.time())
    with table.batch_writer() as batch:
        for record in event.get("events", []):
            batch.put_item(Item={"pk": record["id"], "received": now, "payload": record})
    return {"written": len(event.get("events", []))}
