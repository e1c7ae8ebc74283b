"""Benchmarks of the service against a bare endpoint: run with ``python -m benchmarks.run``."""
