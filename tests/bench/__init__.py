"""Benchmarks: `python -m tests.bench --help`. They print figures; they are not tests."""
