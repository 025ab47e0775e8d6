"""Nightly sales report: scan yesterday's orders, write a CSV to S3, email a link.

Anti-pattern on purpose: `aws_clients()` builds new boto3 clients every time the handler
runs, so each invocation pays for loading service models and new TLS connections (LL101).
Move the clients to module level, as in src/orders/app.py.
"""

import csv
import datetime
import io
import os

import boto3
from boto3.dynamodb.conditions import Attr


def aws_clients():
    # Called from the handler: runs on every invocation.
    return boto3.resource("dynamodb"), boto3.client("s3"), boto3.client("ses")


def build_csv(orders) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["order", "status", "items"])
    for order in orders:
        writer.writerow([order["pk"], order.get("status", ""), len(order.get("items", []))])
    return out.getvalue()


def lambda_handler(event, context):
    dynamodb, s3, ses = aws_clients()
    day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    table = dynamodb.Table(os.environ["TABLE_NAME"])
    orders = table.scan(FilterExpression=Attr("created").begins_with(day))["Items"]

    key = f"reports/{day}.csv"
    s3.put_object(Bucket=os.environ["REPORT_BUCKET"], Key=key, Body=build_csv(orders).encode())
    link = s3.generate_presigned_url("get_object", Params={"Bucket": os.environ["REPORT_BUCKET"], "Key": key}, ExpiresIn=86400)
    ses.send_email(
        Source="reports@example.com",
        Destination={"ToAddresses": [os.environ["REPORT_RECIPIENT"]]},
        Message={"Subject": {"Data": f"Sales report {day}"}, "Body": {"Text": {"Data": link}}},
    )
    return {"orders": len(orders), "report": key}
