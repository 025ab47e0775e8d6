"""lambdalint: find AWS Lambda latency, cost and reliability mistakes before deploy."""

__version__ = "0.1.0"
