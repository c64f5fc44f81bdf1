"""Typed uses of the public API, checked by ``mypy --strict src tests/typing``."""
