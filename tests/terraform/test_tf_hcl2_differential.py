"""Differential test: literal attributes read by the tree-sitter reader equal python-hcl2.

Every ``.tf`` file under tests/terraform/fixtures, rules/ and examples/ is read by both;
for each block (matched by type, labels and position among its siblings) every attribute
python-hcl2 gives as a literal (no ``${...}``, heredoc or escape) must evaluate to the same
value. python-hcl2 keeps string quotes (``'"x"'``): they are stripped before comparing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ddb_guard.model import Location
from ddb_guard.terraform.evaluate import Scope, evaluate
from ddb_guard.terraform.hcl import Block, parse_hcl

hcl2 = pytest.importorskip("hcl2")

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(
    p
    for base in (REPO / "tests" / "terraform" / "fixtures", REPO / "rules", REPO / "examples")
    for p in base.rglob("*.tf")
    if ".terraform" not in p.parts and not p.name.startswith("PARSE001.")  # broken on purpose
)

_SKIP = object()


_EXPONENT = re.compile(r"\$\{([0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+)\}\Z")


def _literal(value: Any) -> Any:
    """python-hcl2's value as plain Python, or _SKIP if it is not a plain literal."""
    if isinstance(value, str) and _EXPONENT.match(value):  # python-hcl2 keeps 1e3 as ${1e3}
        number = float(_EXPONENT.match(value).group(1))
        return int(number) if number.is_integer() else number
    if isinstance(value, str):
        if "${" in value or "\\" in value or value.startswith('"<<') or "%{" in value:
            return _SKIP
        if len(value) >= 2 and value[0] == value[-1] == '"':
            return value[1:-1]
        return _SKIP  # a bare expression (identifier)
    if isinstance(value, list):
        items = [_literal(v) for v in value]
        return _SKIP if any(i is _SKIP for i in items) else items
    if isinstance(value, dict):
        if value.get("__is_block__"):
            return _SKIP
        out = {}
        for k, v in value.items():
            key = _literal(k) if k.startswith('"') else k
            lit = _literal(v)
            if key is _SKIP or lit is _SKIP:
                return _SKIP
            out[key] = lit
        return out
    return value


def _compare(mine: Block, theirs: dict[str, Any], where: str, counts: list[int]) -> None:
    for name, attr in mine.attrs.items():
        if name not in theirs:
            continue
        expected = _literal(theirs[name])
        if expected is _SKIP:
            continue
        got = evaluate(attr.expr, attr.file, Scope(None))
        assert got.known, f"{where}.{name}: {got.unknown}"
        assert got.value == expected, f"{where}.{name} ({attr.loc})"
        assert type(got.value) is type(expected), f"{where}.{name} ({attr.loc})"
        counts[0] += 1
    by_type: dict[str, list[Block]] = {}
    for sub in mine.blocks:
        by_type.setdefault(sub.type, []).append(sub)
    for btype, blocks in by_type.items():
        entries = theirs.get(btype)
        assert isinstance(entries, list) and len(entries) == len(blocks), f"{where}.{btype}"
        for i, (sub, entry) in enumerate(zip(blocks, entries, strict=True)):
            _compare(sub, _descend(entry, sub.labels), f"{where}.{btype}[{i}]", counts)


def _descend(entry: dict[str, Any], labels: tuple[str, ...]) -> dict[str, Any]:
    for label in labels:
        entry = entry[f'"{label}"']
    return entry


def _check(path: Path) -> int:
    """Compare one file; returns how many literal attributes were compared."""
    text = path.read_text(encoding="utf-8")
    mine = parse_hcl(text, path.name)
    assert not mine.notices, mine.notices
    theirs = hcl2.loads(text)
    root = Block(
        "file", (), Location(path.name), 0, mine.file, attrs=mine.attrs, blocks=mine.blocks
    )
    counts = [0]
    _compare(root, theirs, path.name, counts)
    return counts[0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_literals_match_python_hcl2(path: Path) -> None:
    compared = _check(path)
    assert compared > 0 or not parse_hcl(path.read_text(encoding="utf-8"), path.name).blocks


def test_there_are_files_to_compare() -> None:
    assert len(FILES) >= 2
    assert sum(_check(p) for p in FILES) >= 100


def test_exponent_literals_match_python_hcl2(tmp_path: Path) -> None:
    """``1e3`` is valid HCL that tree-sitter-hcl's grammar rejects (no fraction): the reader
    patches the token, and the values equal python-hcl2's."""
    path = tmp_path / "exponents.tf"
    path.write_text(
        'resource "aws_dynamodb_table" "t" {\n'
        "  read_capacity  = 1e3\n"
        "  write_capacity = 2.5E2\n"
        "  extra          = [1e+3, 1.5e1, 5]\n"
        '  name           = "1e3" # 1e3 in a comment\n'
        "}\n"
    )
    assert _check(path) == 4
