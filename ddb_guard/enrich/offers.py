"""Build a price book from the AWS Price List bulk offer files (AmazonDynamoDB, AWSBackup).

The offer files are public (no credentials)::

    https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<Service>/current/region_index.json
      -> regions.<code>.currentVersionUrl -> /offers/v1.0/aws/<Service>/<version>/<code>/index.json

A regional offer lists ``products`` (SKU, ``attributes.usagetype``) and ``terms.OnDemand``
(price dimensions with ``pricePerUnit.USD``, tiered by ``beginRange``). Usage types carry a
region prefix (``EU-``, ``USW2-``, none for us-east-1), so they are matched on their suffix:

========================================  ===============  ==============
usagetype suffix                          service          price key
========================================  ===============  ==============
``TimedStorage-ByteHrs`` (not ``IA-``)    AmazonDynamoDB   table_storage
``TimedPITRStorage-ByteHrs``              AmazonDynamoDB   pitr
``TimedBackupStorage-ByteHrs``            AmazonDynamoDB   backup_warm
``RestoreDataSize-Bytes``                 AmazonDynamoDB   restore
``ColdStorage-ByteHrs-DynamoDB``          AWSBackup        backup_cold
``CrossRegion-WarmBytes-DynamoDB``        AWSBackup        copy_transfer
========================================  ===============  ==============

Of tiered prices (a free first 25 GB of table storage) the one that applies past the free
tier is kept: the highest ``beginRange`` with a non-zero price. Every price written names
its offer, version, publication date, SKU and usage type, so the book says where it is from.
Nothing here touches the network: :class:`Source` reads either a URL or a local directory
holding the same tree (what tests use).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ddb_guard.errors import FatalError

DEFAULT_BASE = "https://pricing.us-east-1.amazonaws.com"
SERVICES = ("AmazonDynamoDB", "AWSBackup")
_RULES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("AmazonDynamoDB", "TimedPITRStorage-ByteHrs", "pitr", ()),
    ("AmazonDynamoDB", "TimedBackupStorage-ByteHrs", "backup_warm", ()),
    ("AmazonDynamoDB", "RestoreDataSize-Bytes", "restore", ()),
    ("AmazonDynamoDB", "TimedStorage-ByteHrs", "table_storage", ("IA-", "PITR", "Backup")),
    ("AWSBackup", "ColdStorage-ByteHrs-DynamoDB", "backup_cold", ()),
    ("AWSBackup", "CrossRegion-WarmBytes-DynamoDB", "copy_transfer", ()),
)
MAX_BYTES = 200 * 1024 * 1024  # a regional offer file is a few MB


@dataclass(frozen=True, slots=True)
class Source:
    """Where offer files come from: ``base`` is an https URL or a local directory."""

    base: str = DEFAULT_BASE
    timeout: float = 60.0

    def read_json(self, path: str) -> Any:
        """The JSON document at ``path`` (starting with ``/offers/``) under the base."""
        if self.base.startswith(("https://", "http://")):
            import urllib.request

            url = self.base.rstrip("/") + path
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as resp:
                    data = resp.read(MAX_BYTES + 1)
            except OSError as exc:
                raise FatalError(f"cannot download {url}: {exc}") from None
            where = url
        else:
            file = Path(self.base) / path.lstrip("/")
            try:
                data = file.read_bytes()
            except OSError as exc:
                raise FatalError(f"cannot read {file}: {exc.strerror or exc}") from None
            where = str(file)
        if len(data) > MAX_BYTES:
            raise FatalError(f"{where}: larger than {MAX_BYTES} bytes")
        try:
            return json.loads(data)
        except ValueError as exc:
            raise FatalError(f"{where}: not a JSON offer file ({exc})") from None


def _usd(dimension: dict[str, Any]) -> float | None:
    try:
        return float(dimension["pricePerUnit"]["USD"])
    except (KeyError, TypeError, ValueError):
        return None


def _price_of(terms: dict[str, Any]) -> tuple[float, str] | None:
    """The applicable (price, unit) of one SKU's on-demand terms (past any free tier)."""
    best: tuple[float, float, str] | None = None
    for term in terms.values():
        for dim in (term.get("priceDimensions") or {}).values():
            price = _usd(dim)
            if price is None or price <= 0:
                continue
            try:
                begin = float(dim.get("beginRange", 0) or 0)
            except ValueError:
                begin = 0.0
            if best is None or begin > best[0]:
                best = (begin, price, str(dim.get("unit", "")))
    return None if best is None else (best[1], best[2])


def _key_of(service: str, usagetype: str) -> str | None:
    for svc, suffix, key, excluded in _RULES:
        if svc != service or not usagetype.endswith(suffix):
            continue
        head = usagetype[: -len(suffix)]
        if any(x in head for x in excluded):
            continue
        return key
    return None


def prices_from_offer(offer: dict[str, Any], service: str) -> dict[str, dict[str, Any]]:
    """``{price_key: {price, as_of, source}}`` found in one regional offer file."""
    products = offer.get("products") or {}
    on_demand = (offer.get("terms") or {}).get("OnDemand") or {}
    version = str(offer.get("version", "?"))
    published = str(offer.get("publicationDate", ""))[:10]
    out: dict[str, dict[str, Any]] = {}
    for sku in sorted(products):
        attrs = (products[sku] or {}).get("attributes") or {}
        usagetype = str(attrs.get("usagetype", ""))
        key = _key_of(service, usagetype)
        if key is None or key in out or sku not in on_demand:
            continue
        found = _price_of(on_demand[sku])
        if found is None:
            continue
        price, unit = found
        out[key] = {
            "price": price,
            "as_of": published,
            "source": f"AWS Price List {service} offer {version} ({published}), SKU {sku}, "
            f"usagetype {usagetype}" + (f", per {unit}" if unit else ""),
        }
    return out


def build_book(
    source: Source,
    template: dict[str, Any],
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """A price book (the bundled YAML's shape) from the current offer files.

    ``template`` is the bundled book: its ``ratios`` and ``assumptions`` are kept, and a region
    the offers lack keeps the template's entry (so the book still knows every region).
    """
    regions: dict[str, dict[str, Any]] = {}
    dates: list[str] = []
    for service in SERVICES:
        index = source.read_json(f"/offers/v1.0/aws/{service}/current/region_index.json")
        entries = (index or {}).get("regions") or {}
        for code in sorted(entries):
            url = str((entries[code] or {}).get("currentVersionUrl", ""))
            if not url.startswith("/offers/"):
                continue
            if progress:
                progress(f"{service} {code}")
            found = prices_from_offer(source.read_json(url), service)
            if found:
                regions.setdefault(code, {}).update(found)
                dates += [p["as_of"] for p in found.values() if p["as_of"]]
    if not regions:
        raise FatalError("the offer files hold no DynamoDB backup prices")
    book: dict[str, Any] = {
        "as_of": max(dates) if dates else "",
        "currency": "USD",
        "generated_by": "ddb-guard pricing update",
        "ratios": dict(template.get("ratios", {})),
        "assumptions": dict(template.get("assumptions", {})),
        "regions": {},
    }
    old = template.get("regions", {})
    for code in sorted(set(old) | set(regions)):
        if code in regions:
            book["regions"][code] = regions[code]
        else:
            book["regions"][code] = old[code]
    if "us-east-1" not in regions:
        raise FatalError("the offer files have no us-east-1 prices (the base region)")
    return book


def dump_book(book: dict[str, Any]) -> str:
    """The book as YAML, with a header saying where it came from."""
    import yaml

    head = (
        "# DynamoDB protection prices written by `ddb-guard pricing update` from the AWS Price\n"
        "# List bulk offer files (AmazonDynamoDB, AWSBackup). Point config at it with\n"
        '#   [tool.ddb-guard] price-book = "this-file.yaml"\n'
    )
    return head + yaml.safe_dump(book, sort_keys=False, allow_unicode=True, width=100)
