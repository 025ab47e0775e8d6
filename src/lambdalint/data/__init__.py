"""Data files shipped with lambdalint (price tables)."""
