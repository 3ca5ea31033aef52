"""The network layer: package tables, loading and validation, and the compiled expanded graph."""
