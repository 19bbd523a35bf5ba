"""The cache of shipped YAML data: faster, never different."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from ddb_guard.parse import datacache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("DDB_GUARD_CACHE_DIR", str(where))
    return where


def counting(result):
    calls: list[str] = []

    def parse(key: str, text: str):
        calls.append(key)
        return result(text)

    return parse, calls


def test_same_texts_are_read_from_the_cache_and_changed_ones_parsed_again(cache: Path) -> None:
    parse, calls = counting(lambda text: {"n": int(text)})
    source = Path("/somewhere/rules")
    assert datacache.parsed("t", source, {"a": "1", "b": "2"}, parse) == {
        "a": {"n": 1},
        "b": {"n": 2},
    }
    assert datacache.parsed("t", source, {"a": "1", "b": "2"}, parse)["b"] == {"n": 2}
    assert calls == ["a", "b"]  # the second call parsed nothing
    assert datacache.parsed("t", source, {"a": "1", "b": "3"}, parse)["b"] == {"n": 3}
    assert calls == ["a", "b", "a", "b"]
    assert len(list(cache.iterdir())) == 1  # one entry, replaced


def test_data_json_would_change_is_not_cached(cache: Path) -> None:
    parse, calls = counting(lambda text: {"when": datetime.date(2026, 1, 1), 1: (1, 2)})
    for _ in range(2):
        data = datacache.parsed("t", Path("/x"), {"a": "x"}, parse)
        assert data["a"] == {"when": datetime.date(2026, 1, 1), 1: (1, 2)}
    assert calls == ["a", "a"]
    assert not cache.exists()


def test_a_broken_or_foreign_entry_is_parsed_again(cache: Path) -> None:
    parse, calls = counting(lambda text: [text])
    datacache.parsed("t", Path("/x"), {"a": "x"}, parse)
    (entry,) = cache.iterdir()
    for content in ("{not json", json.dumps({"format": 0, "texts": {"a": "x"}, "data": {}})):
        entry.write_text(content)
        assert datacache.parsed("t", Path("/x"), {"a": "x"}, parse) == {"a": ["x"]}
    assert calls == ["a", "a", "a"]


def test_an_empty_cache_dir_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DDB_GUARD_CACHE_DIR", "")
    parse, calls = counting(lambda text: text)
    for _ in range(2):
        datacache.parsed("t", Path("/x"), {"a": "x"}, parse)
    assert calls == ["a", "a"]


def test_an_unwritable_cache_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("DDB_GUARD_CACHE_DIR", str(blocker / "cache"))  # under a file
    parse, calls = counting(lambda text: text)
    assert datacache.parsed("t", Path("/x"), {"a": "x"}, parse) == {"a": "x"}
    assert calls == ["a"]
