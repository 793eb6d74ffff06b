"""The chain generator behind `manage.py generate_chain` (issue 10): a realistic chain of malls
written with COPY, for benchmarks and load tests. See docs/benchmarks.md."""
