"""Regional prices for DynamoDB protection, from ``ddb_guard/data/pricing.yaml`` plus overrides.

Every price keeps its provenance (:class:`Price`: source, as-of date, ``derived``,
``assumption``). Missing prices of a region are derived from its table-storage price with the
documented ratios (PITR 0.8x, backup 0.4x, restore 0.6x; cold 0.3x warm is an assumption);
regions without any bundled source take us-east-1's prices and say so. Overrides from
``[tool.ddb-guard.pricing.<region>]`` (negotiated rates) replace single prices.

The YAML is read once, and only when a price is first asked for.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ddb_guard.enums import PriceSource
from ddb_guard.errors import ConfigError
from ddb_guard.parse import datacache

PRICE_KEYS = ("table_storage", "pitr", "backup_warm", "backup_cold", "restore", "copy_transfer")
BASE_REGION = "us-east-1"


@dataclass(frozen=True, slots=True)
class Price:
    """One price in the region's currency per GB-month (restore/transfer: per GB)."""

    price: float
    source: str
    as_of: str = ""
    derived: bool = False
    assumption: bool = False
    configured: bool = False

    @property
    def kind(self) -> PriceSource:
        """``exact`` (the region's own price-list figure), ``derived`` or ``configured``."""
        if self.configured:
            return PriceSource.CONFIGURED
        return PriceSource.DERIVED if self.derived or self.assumption else PriceSource.EXACT

    def as_dict(self) -> dict[str, Any]:
        return {
            "price": self.price,
            "price_source": self.kind,
            "source": self.source,
            "as_of": self.as_of,
        }


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the prices of one estimate come from: the weakest ``kind`` of the prices used
    (configured > derived > exact) and, for each price that is not exact, why."""

    kind: PriceSource
    detail: tuple[str, ...] = ()

    def text(self) -> str:
        return self.kind if not self.detail else f"{self.kind}: " + "; ".join(self.detail)


@dataclass(frozen=True, slots=True)
class RegionPrices:
    """All prices of one region. ``note`` says when they are not the region's own."""

    region: str
    currency: str
    prices: Mapping[str, Price]
    note: str | None = None
    overridden: tuple[str, ...] = field(default=())

    def __getitem__(self, key: str) -> float:
        return self.prices[key].price

    def provenance(self, keys: tuple[str, ...] | list[str]) -> Provenance:
        """The provenance of an estimate that used the prices ``keys`` of this region."""
        used = [(k, self.prices[k]) for k in keys if k in self.prices]
        kind = PriceSource.weakest(p.kind for _, p in used)
        detail = tuple(
            f"{self.region} {k} {p.price:g} {p.kind} ({p.source})"
            for k, p in used
            if p.kind != PriceSource.EXACT
        )
        return Provenance(kind, detail)

    def summary(self) -> str:
        """A one-line provenance, e.g. for ``cost.price_source``."""
        parts = []
        if self.note:
            parts.append(self.note)
        else:
            own = [k for k, p in self.prices.items() if not p.derived and not p.assumption]
            if own and not self.overridden:
                parts.append(f"bundled {self.region} prices")
        if self.overridden:
            parts.append("override for " + ", ".join(self.overridden))
        assumed = [k for k, p in self.prices.items() if p.assumption]
        if assumed:
            parts.append("assumed " + ", ".join(assumed))
        derived = [k for k, p in self.prices.items() if p.derived and k not in self.overridden]
        if derived and not self.note:
            parts.append("derived " + ", ".join(derived))
        return "; ".join(parts)


@lru_cache(maxsize=1)
def load_data() -> dict[str, Any]:
    """The bundled pricing YAML (parsed once; see :mod:`ddb_guard.parse.datacache`)."""
    path = Path(__file__).resolve().parent.parent / "data" / "pricing.yaml"

    def parse(_: str, text: str) -> Any:
        import yaml

        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    texts = {path.name: path.read_text("utf-8")}
    return datacache.parsed("pricing", path, texts, parse)[path.name]


def load_book_file(path: Path) -> dict[str, Any]:
    """A price book file (``ddb-guard pricing update --output``); ConfigError when unusable."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"price-book {path}: cannot read it ({exc})") from None
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ConfigError(f"price-book {path}: not YAML ({exc})") from None
    regions = data.get("regions") if isinstance(data, dict) else None
    if not isinstance(regions, dict) or BASE_REGION not in regions:
        raise ConfigError(f"price-book {path}: needs a 'regions' table with {BASE_REGION}")
    for region, entry in regions.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"price-book {path}: regions.{region} must be a table")
        for key, spec in entry.items():
            if key in PRICE_KEYS:
                value = spec.get("price") if isinstance(spec, dict) else None
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
                if not ok or not math.isfinite(value) or value < 0:
                    raise ConfigError(
                        f"price-book {path}: regions.{region}.{key}.price must be a "
                        "finite non-negative number"
                    )
    data.setdefault("ratios", load_data().get("ratios", {}))
    return data


def _price(spec: Mapping[str, Any]) -> Price:
    return Price(
        price=float(spec["price"]),
        source=str(spec.get("source", "")),
        as_of=str(spec.get("as_of", "")),
        derived=bool(spec.get("derived", False)),
        assumption=bool(spec.get("assumption", False)),
    )


def _complete(region: str, raw: Mapping[str, Any], data: Mapping[str, Any]) -> RegionPrices:
    """Fill the prices a sourced region lacks from its own table-storage price (or the base)."""
    ratios = data.get("ratios", {})
    as_of = str(data.get("as_of", ""))
    prices = {k: _price(v) for k, v in raw.items() if k in PRICE_KEYS}
    storage = prices.get("table_storage")
    for key in ("pitr", "backup_warm", "restore"):
        if key not in prices and storage is not None:
            prices[key] = Price(
                round(storage.price * float(ratios[key]), 6),
                f"derived: {ratios[key]} x table_storage ({storage.source})",
                storage.as_of or as_of,
                derived=True,
            )
    if "backup_cold" not in prices and "backup_warm" in prices:
        prices["backup_cold"] = Price(
            round(prices["backup_warm"].price * float(ratios["backup_cold"]), 6),
            f"ASSUMPTION: {ratios['backup_cold']} x backup_warm (cold price unconfirmed)",
            prices["backup_warm"].as_of or as_of,
            derived=True,
            assumption=True,
        )
    return RegionPrices(region, str(raw.get("currency", data.get("currency", "USD"))), prices)


class PriceBook:
    """Prices by region with overrides (``{"us-east-1": {"backup_warm": 0.08}}``)."""

    def __init__(
        self,
        overrides: Mapping[str, Mapping[str, float]] | None = None,
        data: Mapping[str, Any] | None = None,
        override_source: str = "config [tool.ddb-guard.pricing]",
    ) -> None:
        self._overrides = {r: dict(p) for r, p in (overrides or {}).items()}
        self._data = data
        self._override_source = override_source
        self._cache: dict[str, RegionPrices] = {}

    @property
    def data(self) -> Mapping[str, Any]:
        if self._data is None:
            self._data = load_data()
        return self._data

    def regions(self) -> list[str]:
        """Regions named in the bundled table."""
        return sorted(self.data.get("regions", {}))

    def known_regions(self) -> list[str]:
        """Regions with prices: the bundled table's and those configured."""
        return sorted(set(self.regions()) | set(self._overrides))

    def check_region(self, region: str, where: str) -> None:
        """Raise :class:`~ddb_guard.errors.ConfigError` for a region the book does not know."""
        if region in self.known_regions():
            return

        raise ConfigError(
            f"unknown region {region!r} ({where}); known regions: "
            + ", ".join(self.known_regions())
            + ". A region outside this list needs its prices in "
            f"[tool.ddb-guard.pricing.{region}]"
        )

    def _bundled(self, region: str) -> RegionPrices:
        regions = self.data.get("regions", {})
        raw = regions.get(region)
        base = _complete(BASE_REGION, regions[BASE_REGION], self.data)
        if raw is None or "derived_from" in raw:
            source_region = (raw or {}).get("derived_from", BASE_REGION)
            src = base if source_region == BASE_REGION else self._bundled(source_region)
            why = "no bundled price source" if raw is not None else "not in the bundled table"
            note = f"derived from {source_region} ({region}: {why})"
            prices = {
                k: replace(
                    p,
                    derived=True,
                    source=f"{source_region} price as a stand-in: no {region} price-list "
                    "figure bundled (run `ddb-guard pricing update`)",
                )
                for k, p in src.prices.items()
            }
            return RegionPrices(region, src.currency, prices, note)
        rp = _complete(region, raw, self.data)
        prices = dict(rp.prices)
        missing = [k for k in PRICE_KEYS if k not in prices]
        for k in missing:  # e.g. us-west-2 restore, every region's copy_transfer
            p = base.prices[k]
            prices[k] = replace(p, derived=True, source=f"{BASE_REGION} price ({p.source})")
        note = None
        if rp.currency != base.currency and missing:
            note = f"prices in {rp.currency}"
        return RegionPrices(region, rp.currency, prices, note)

    def region(self, region: str) -> RegionPrices:
        """The prices of ``region`` (never raises; unknown regions use us-east-1, noted)."""
        if region in self._cache:
            return self._cache[region]
        rp = self._bundled(region)
        override = self._overrides.get(region)
        if override:
            prices = dict(rp.prices)
            for key, value in override.items():
                if key in PRICE_KEYS:
                    prices[key] = Price(float(value), self._override_source, "", configured=True)
            rp = RegionPrices(
                region, rp.currency, prices, rp.note, tuple(k for k in override if k in prices)
            )
        self._cache[region] = rp
        return rp
