"""Benchmarks against the stack's own floor; `make bench` runs bench/run.py."""
