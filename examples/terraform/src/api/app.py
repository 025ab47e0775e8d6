"""Public API: returns a product from DynamoDB. The client is created once, at import."""

import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ.get("TABLE_NAME", "shop-products"))


def lambda_handler(event, context):
    product_id = (event.get("pathParameters") or {}).get("id")
    item = table.get_item(Key={"pk": product_id}).get("Item") if product_id else None
    status = 200 if item else 404
    return {"statusCode": status, "body": json.dumps(item or {"message": "not found"}, default=str)}
