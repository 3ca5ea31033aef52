"""Pictures of results (matplotlib, the optional `plot` extra): one module per picture."""
