"""Helpers: load a template text the way the pipeline does and build its entities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ddb_guard.cloudformation import load_template
from ddb_guard.context import ScanContext
from ddb_guard.entity_spec import front_end_owned
from ddb_guard.model import Entity, Notice
from ddb_guard.parse.yaml_loader import load_json, load_yaml


class Built:
    def __init__(self, entities: list[Entity], notices: list[Notice]) -> None:
        self.entities = entities
        self.notices = notices

    def one(self, address: str) -> Entity:
        (found,) = [e for e in self.entities if e.address == address]
        return found

    def attr(self, address: str, name: str) -> Any:
        return self.one(address).attrs[name]


@pytest.fixture
def build(tmp_path: Path):
    def _build(text: str, name: str = "template.yaml") -> Built:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        load = load_json if name.endswith(".json") else load_yaml
        data, notice = load(text, name)
        assert notice is None, notice
        entities, notices = load_template(path, data, ScanContext(root=tmp_path))
        for e in entities:  # every parser-owned attribute is filled
            assert set(e.attrs) == front_end_owned(e.kind), e.address
            assert e.source == "cloudformation"
        return Built(entities, notices)

    return _build
