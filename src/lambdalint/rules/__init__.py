"""Rules: each module holds one rule (metadata, documentation, examples, check)."""
