"""The pure core: scoring, rules, economics, carbon and codes.

Nothing in this package imports Django. Every module is fully typed (mypy --strict) and raises
the exceptions defined in :mod:`cleanprod.core.errors`, so the web layer, the CLI and batch jobs
share one implementation of every calculation.
"""
