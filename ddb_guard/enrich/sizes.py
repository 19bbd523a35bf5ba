"""Table sizes for cost estimates, from four sources (each parser returns Notices, never raises
on a malformed file):

- ``--table-size NAME=GB`` pairs (:func:`parse_size_value`; a bad value is a usage error),
- config ``[tool.ddb-guard.tables."NAME"] size_gb`` (:func:`sizes_from_config`),
- Infracost usage files: ``resource_usage: {aws_dynamodb_table.x: {storage_gb: N}}``
  (:func:`parse_usage_file`),
- ``aws dynamodb describe-table`` JSON: ``Table.TableName`` / ``Table.TableSizeBytes``
  (:func:`parse_describe_table`; one object, a list of them, or ``{"Tables": [...]}``).

Keys are whatever the user wrote: a table name, a Terraform address or a CloudFormation
logical id; :meth:`SizeTable.lookup` tries them all for a table entity. Sizes are GB as AWS
bills them (1 GB = 2^30 bytes for ``TableSizeBytes``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ddb_guard.config import MAX_SIZE_GB
from ddb_guard.enums import Level, NoticeKind
from ddb_guard.errors import ConfigError
from ddb_guard.model import Entity, Notice, Value
from ddb_guard.terraform.address import Address

GIB = 1024**3
_UNITS = {
    "": 1.0,
    "GB": 1.0,
    "GIB": 1.0,
    "TB": 1024.0,
    "TIB": 1024.0,
    "MB": 1 / 1024,
    "MIB": 1 / 1024,
}
_SIZE_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([A-Za-z]*)\s*$")


@dataclass(frozen=True, slots=True)
class TableSize:
    """A size in GB and where it came from (shown in estimates and SARIF ``sizeSource``)."""

    gb: float
    source: str
    origin: str = ""  # the file or option it came from (for notices)


@dataclass(slots=True)
class SizeTable:
    """Sizes by key (name, address or logical id); later sources override earlier ones."""

    sizes: dict[str, TableSize] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def update(self, other: dict[str, TableSize]) -> None:
        self.sizes.update(other)

    def lookup(self, table: Entity) -> tuple[str, TableSize] | None:
        """The size supplied for ``table``: by address, address with ``[*]``, name, logical id."""
        for key in candidate_keys(table):
            found = self.sizes.get(key)
            if found is not None:
                self.used.add(key)
                return key, found
        return None

    def unused(self) -> list[tuple[str, TableSize]]:
        """Supplied sizes that matched no scanned table (likely a typo)."""
        return sorted((k, v) for k, v in self.sizes.items() if k not in self.used)


def _known_str(v: Any) -> str | None:
    if isinstance(v, Value) and v.known and isinstance(v.value, str) and v.value:
        return v.value
    return None


def candidate_keys(table: Entity) -> list[str]:
    """Keys that may name ``table`` in a size source, most specific first."""
    keys = [table.address]
    parsed = Address.parse(table.address)  # a quoted key may hold "]" and "."
    base = str(replace(parsed, key="")) if parsed and parsed.key and not parsed.rest else ""
    if base:
        keys += [base + "[*]", base]
    for attr in ("table_name", "arn_hint"):
        name = _known_str(table.attrs.get(attr))
        if name:
            keys.append(name)
    if table.display_name:
        keys.append(table.display_name)
    seen: set[str] = set()
    return [k for k in keys if not (k in seen or seen.add(k))]


def parse_size_value(text: str) -> float | None:
    """``"500"``, ``"1.5TB"``, ``"750 GB"``, ``"200MiB"`` -> GB; None when not a size."""
    m = _SIZE_RE.match(text)
    if not m:
        return None
    unit = _UNITS.get(m.group(2).upper())
    if unit is None:
        return None
    return float(m.group(1)) * unit


def sizes_from_pairs(pairs: list[tuple[str, str]]) -> tuple[dict[str, TableSize], list[str]]:
    """``--table-size`` pairs -> sizes, plus one error message per bad value."""
    out: dict[str, TableSize] = {}
    errors: list[str] = []
    for name, value in pairs:
        gb = parse_size_value(value)
        shown = value if len(value) <= 40 else value[:37] + "..."
        if gb is None:
            errors.append(
                f"--table-size {name}={shown}: expected a size in GB such as 500, 1.5TB or 750GB"
            )
            continue
        if not math.isfinite(gb) or gb > MAX_SIZE_GB:
            errors.append(f"--table-size {name}={shown}: out of range (at most {MAX_SIZE_GB:g} GB)")
            continue
        out[name] = TableSize(gb, f"--table-size {name}={value}", "--table-size")
    return out, errors


def sizes_from_config(tables: dict[str, Any], source: str) -> dict[str, TableSize]:
    """``[tool.ddb-guard.tables."NAME"] size_gb`` entries (already validated by the config)."""
    out: dict[str, TableSize] = {}
    where = source or "config"
    for name, spec in tables.items():
        size = spec.get("size_gb") if isinstance(spec, dict) else None
        if isinstance(size, (int, float)) and not isinstance(size, bool) and size >= 0:
            out[name] = TableSize(float(size), f"{where} tables.{name}.size_gb", where)
    return out


def _read(path: Path, rel: str) -> str | Notice:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        return Notice(
            rel, f"cannot read size file: {exc.strerror or exc}", kind=NoticeKind.PARSE_ERROR
        )
    except UnicodeDecodeError:
        return Notice(rel, "size file is not valid UTF-8", kind=NoticeKind.PARSE_ERROR)


def _number(v: Any, where: str, limit: float) -> float | None:
    """A non-negative number, ``None`` if not one; NaN, infinity or more than ``limit`` end
    the run (exit 2 naming the input): such a size would turn every estimate into NaN."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    try:
        number = float(v)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or number > limit:
        raise ConfigError(f"{where}: {v!r} is not a finite number up to {limit:g}")
    return number if number >= 0 else None


def parse_usage_file(path: Path, rel: str) -> tuple[dict[str, TableSize], list[Notice]]:
    """An Infracost usage file: ``storage_gb`` of every ``aws_dynamodb_table`` entry."""
    text = _read(path, rel)
    if isinstance(text, Notice):
        return {}, [text]
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or "invalid YAML"
        return {}, [
            Notice(rel, f"Infracost usage file: {problem}", line, kind=NoticeKind.PARSE_ERROR)
        ]
    usage = data.get("resource_usage") if isinstance(data, dict) else None
    if not isinstance(usage, dict):
        return {}, [Notice(rel, "Infracost usage file has no 'resource_usage' mapping")]
    out: dict[str, TableSize] = {}
    notices: list[Notice] = []
    for address, spec in usage.items():
        if not isinstance(address, str) or "aws_dynamodb_table." not in address:
            continue
        if not isinstance(spec, dict) or "storage_gb" not in spec:
            continue
        gb = _number(spec.get("storage_gb"), f"{rel}: {address}.storage_gb", MAX_SIZE_GB)
        if gb is None:
            notices.append(
                Notice(
                    rel,
                    f"Infracost usage file: {address}.storage_gb must be a non-negative number, "
                    f"not {spec.get('storage_gb')!r}",
                )
            )
            continue
        out[address] = TableSize(gb, f"{rel} (Infracost usage {address}.storage_gb)", rel)
    has_measured = any(
        isinstance(spec, dict) and any(k in spec for k in MEASURED_KEYS)
        for address, spec in usage.items()
        if isinstance(address, str) and "aws_dynamodb_table." in address
    )
    if not out and not notices and not has_measured:
        notices.append(
            Notice(
                rel,
                "Infracost usage file has no aws_dynamodb_table entry with storage_gb",
                level=Level.NOTE,
            )
        )
    return out, notices


MEASURED_KEYS = ("pitr_backup_storage_gb", "on_demand_backup_storage_gb")


@dataclass(frozen=True, slots=True)
class MeasuredUsage:
    """Backup storage measured on the bill (Infracost usage keys): it overrides the model.

    ``pitr_gb``: PITR storage GB-month (``pitr_backup_storage_gb``); ``backup_gb``: on-demand
    and AWS Backup warm storage GB-month (``on_demand_backup_storage_gb``).
    """

    pitr_gb: float | None
    backup_gb: float | None
    source: str


def parse_usage_measured(path: Path, rel: str) -> tuple[dict[str, MeasuredUsage], list[Notice]]:
    """``pitr_backup_storage_gb`` / ``on_demand_backup_storage_gb`` per table address (problems
    with the file itself are :func:`parse_usage_file`'s to report)."""
    text = _read(path, rel)
    if isinstance(text, Notice):
        return {}, []
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}, []
    usage = data.get("resource_usage") if isinstance(data, dict) else None
    if not isinstance(usage, dict):
        return {}, []
    out: dict[str, MeasuredUsage] = {}
    notices: list[Notice] = []
    for address, spec in usage.items():
        if not isinstance(address, str) or "aws_dynamodb_table." not in address:
            continue
        if not isinstance(spec, dict) or not any(k in spec for k in MEASURED_KEYS):
            continue
        values: list[float | None] = []
        for key in MEASURED_KEYS:
            if key not in spec:
                values.append(None)
                continue
            gb = _number(spec.get(key), f"{rel}: {address}.{key}", MAX_SIZE_GB)
            if gb is None:
                notices.append(
                    Notice(
                        rel,
                        f"Infracost usage file: {address}.{key} must be a non-negative number, "
                        f"not {spec.get(key)!r}",
                    )
                )
            values.append(gb)
        if any(v is not None for v in values):
            out[address] = MeasuredUsage(values[0], values[1], f"{rel} (Infracost usage)")
    return out, notices


def parse_describe_table(path: Path, rel: str) -> tuple[dict[str, TableSize], list[Notice]]:
    """``aws dynamodb describe-table`` output: ``TableSizeBytes`` by ``TableName``."""
    text = _read(path, rel)
    if isinstance(text, Notice):
        return {}, [text]
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, [
            Notice(
                rel,
                f"describe-table JSON: {exc.msg}",
                exc.lineno,
                exc.colno,
                kind=NoticeKind.PARSE_ERROR,
            )
        ]
    if isinstance(data, dict) and isinstance(data.get("Tables"), list):
        items = data["Tables"]
    elif isinstance(data, list):
        items = data
    else:
        items = [data]
    out: dict[str, TableSize] = {}
    notices: list[Notice] = []
    for i, item in enumerate(items):
        table = item.get("Table", item) if isinstance(item, dict) else None
        name = table.get("TableName") if isinstance(table, dict) else None
        size = (
            _number(table.get("TableSizeBytes"), f"{rel}: TableSizeBytes", MAX_SIZE_GB * GIB)
            if isinstance(table, dict)
            else None
        )
        if not isinstance(name, str) or not name or size is None:
            where = f" (item {i + 1})" if len(items) > 1 else ""
            notices.append(
                Notice(
                    rel,
                    f"describe-table JSON{where}: expected Table.TableName and a non-negative "
                    "Table.TableSizeBytes (output of `aws dynamodb describe-table`)",
                )
            )
            continue
        out[name] = TableSize(
            round(size / GIB, 6), f"{rel} (describe-table TableSizeBytes={int(size)})", rel
        )
    return out, notices
