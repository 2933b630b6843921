"""Dash callbacks, one module per page: inputs -> query calls -> figures and tables. Every callback is guarded."""
