"""The format-neutral project model and the loaders that build it from parsed documents."""
