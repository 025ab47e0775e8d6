"""The one parser for function ARNs, names, qualifiers and ARN services (formats/arn.py)."""

from __future__ import annotations

import pytest

from lambdalint.formats import arn


@pytest.mark.parametrize(
    "text,expected",
    [
        ("orders", ("orders", None)),
        ("orders:live", ("orders", "live")),
        ("123456789012:function:orders", ("orders", None)),
        ("arn:aws:lambda:us-east-1:123456789012:function:orders", ("orders", None)),
        ("arn:aws-cn:lambda:cn-north-1:123456789012:function:orders:$LATEST", ("orders", "$LATEST")),
        ("arn:x:lambda:x:123456789012:function:orders:7", ("orders", "7")),
        ("arn:aws:sqs:us-east-1:123456789012:orders", None),
        ("orders api", None),
        (None, None),
    ],
)
def test_function_and_qualifier(text, expected):
    assert arn.function_and_qualifier(text) == expected


def test_service_and_qualifier_suffix():
    assert arn.service("arn:aws:kinesis:us-east-1:1:stream/s") == "kinesis"
    assert arn.service("orders") is None
    assert arn.leading_qualifier(":live/invocations") == "live"
    assert arn.leading_qualifier("/invocations") is None


def test_pseudo_parameters():
    assert arn.without_pseudo_parameters("logs.${AWS::Region}.${AWS::URLSuffix}") == "logs.x.x"
    assert arn.without_pseudo_parameters("${Service}.amazonaws.com") is None
