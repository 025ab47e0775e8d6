"""Thumbnail worker: S3 upload event -> 256 px JPEG next to the original.

The code is fine (client at module level). The bug is in template.yaml: its Handler is
`app.handler`, but the function here is called `lambda_handler`.
"""

import io
import os
import urllib.parse

import boto3
from PIL import Image

s3 = boto3.client("s3")
PREFIX = os.environ.get("THUMBNAIL_PREFIX", "thumbnails/")
SIZE = (256, 256)


def make_thumbnail(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data))
    image.thumbnail(SIZE)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()


def lambda_handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        original = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        name = os.path.basename(key).rsplit(".", 1)[0]
        s3.put_object(Bucket=bucket, Key=f"{PREFIX}{name}.jpg", Body=make_thumbnail(original), ContentType="image/jpeg")
    return {"processed": len(event["Records"])}
