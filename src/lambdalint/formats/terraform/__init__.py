"""Terraform: the value resolver and the readers that turn a root into records."""
