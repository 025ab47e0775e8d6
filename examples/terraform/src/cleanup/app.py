"""Hourly cleanup: deletes events older than a week.

The table handle is created lazily on first use and cached in a module global, so warm
invocations reuse it: lambdalint does not report this.
"""

import os
import time

import boto3
from boto3.dynamodb.conditions import Attr

_table = None
WEEK = 7 * 24 * 3600


def get_table():
    global _table
    if _table is None:
        _table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    return _table


def lambda_handler(event, context):
    table = get_table()
    cutoff = int(time.time()) - WEEK
    old = table.scan(FilterExpression=Attr("received").lt(cutoff), ProjectionExpression="pk")["Items"]
    with table.batch_writer() as batch:
        for item in old:
            batch.delete_item(Key={"pk": item["pk"]})
    return {"deleted": len(old)}
