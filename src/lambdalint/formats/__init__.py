"""Input formats: per format, the code that reads its documents (see CONTRIBUTING.md)."""
