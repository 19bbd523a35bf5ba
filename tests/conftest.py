"""Shared test helpers."""

from __future__ import annotations

import os

# Surface front-end bugs as exceptions in tests instead of "internal error" notices.
os.environ.setdefault("DDB_GUARD_DEBUG", "1")
