"""Importing this module registers every rule module."""

from __future__ import annotations

from . import amp, dates, keys, provider, shape, site, urls

__all__ = ["amp", "dates", "keys", "provider", "shape", "site", "urls"]
