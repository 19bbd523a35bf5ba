"""Shared test helpers."""

from __future__ import annotations

import os

import pytest

# Surface front-end bugs as exceptions in tests instead of "internal error" notices.
os.environ.setdefault("DDB_GUARD_DEBUG", "1")


@pytest.fixture(scope="session")
def sarif_validator():
    """The official SARIF 2.1.0 JSON schema validator."""
    from sarif_schema import validator

    return validator()
