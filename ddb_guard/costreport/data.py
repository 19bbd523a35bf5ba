"""The cost report as dataclasses. ``as_dict()`` is the JSON format (amounts rounded to cents).

Amounts are USD per month. A figure that cannot be known is ``None``, never 0: a table of
unknown size has ``None`` dollars and a ``*_per_100gb`` rate instead; never-expiring copies have
no steady state (``None``) and a ``growth`` per month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ddb_guard.enums import PriceSource
from ddb_guard.model import Value


def cents(x: float | None) -> float | None:
    return None if x is None else round(x + 0.0, 2)


@dataclass(slots=True)
class Provenance:
    """``kind``: exact | derived | configured (the weakest price used); ``detail``: why."""

    kind: PriceSource = PriceSource.EXACT
    detail: list[str] = field(default_factory=list)

    def merge(self, kind: PriceSource, detail: list[str]) -> None:
        self.kind = PriceSource.weakest((self.kind, kind))
        for d in detail:
            if d not in self.detail:
                self.detail.append(d)


@dataclass(slots=True)
class TableCost:
    """One scanned table (or a table named only by ARN in a selection: ``scanned`` False)."""

    identity: str
    address: str
    name: str
    region: str
    pitr: bool | None
    size_gb: float | None
    size_source: str | None
    scanned: bool = True
    rules: list[str] = field(default_factory=list)
    copies: float | None = 0.0
    pitr_per_gb: float = 0.0  # PITR price x (1 + replicas with PITR), per GB-month
    backup_per_gb: float | None = 0.0  # steady state; None when copies never expire
    growth_per_gb: float = 0.0  # what never-expiring copies add every month
    ramp_per_gb: list[float] = field(default_factory=lambda: [0.0] * 12)
    storage_per_gb: float = 0.0  # table storage price
    restore_per_gb: float = 0.0
    measured_pitr_gb: float | None = None  # Infracost pitr_backup_storage_gb
    measured_backup_gb: float | None = None  # Infracost on_demand_backup_storage_gb
    measured_source: str | None = None
    warm_price: float = 0.0
    pitr_regions: list[str] = field(default_factory=list)  # regions billing PITR (replicas)
    price: Provenance = field(default_factory=Provenance)
    notes: list[str] = field(default_factory=list)

    def _dollars(self, per_gb: float | None) -> float | None:
        if per_gb is None or self.size_gb is None:
            return None
        return per_gb * self.size_gb

    @property
    def pitr_usd(self) -> float | None:
        if self.measured_pitr_gb is not None:
            return self.measured_pitr_gb * self.pitr_per_gb
        return self._dollars(self.pitr_per_gb)

    @property
    def backup_usd(self) -> float | None:
        if self.measured_backup_gb is not None:
            return self.measured_backup_gb * self.warm_price
        return self._dollars(self.backup_per_gb)

    @property
    def total_usd(self) -> float | None:
        p, b = self.pitr_usd, self.backup_usd
        return None if p is None or b is None else p + b

    @property
    def per_100gb(self) -> float | None:
        """Steady monthly cost per 100 GB of this table (None when copies never expire)."""
        if self.backup_per_gb is None:
            return None
        return 100 * (self.pitr_per_gb + self.backup_per_gb)

    def ramp_usd(self) -> list[float] | None:
        if self.size_gb is None:
            return None
        pitr = self.pitr_usd or 0.0
        return [pitr + x * self.size_gb for x in self.ramp_per_gb]

    def as_dict(self) -> dict[str, Any]:
        ramp = self.ramp_usd()
        return {
            "address": self.address,
            "name": self.name,
            "region": self.region,
            "scanned": self.scanned,
            "pitr": self.pitr,
            "size_gb": self.size_gb,
            "size_source": self.size_source,
            "pitr_monthly_usd": cents(self.pitr_usd),
            "pitr_monthly_usd_per_100gb": cents(100 * self.pitr_per_gb),
            "backup_rules": sorted(self.rules),
            "copies_kept": None if self.copies is None else round(self.copies, 2),
            "backup_monthly_usd": cents(self.backup_usd),
            "backup_monthly_usd_per_100gb": None
            if self.backup_per_gb is None
            else cents(100 * self.backup_per_gb),
            "monthly_growth_usd": cents(self._dollars(self.growth_per_gb))
            if self.growth_per_gb
            else None,
            "total_monthly_usd": cents(self.total_usd),
            "first_month_usd": cents(ramp[0]) if ramp else None,
            "first_12_months_usd": cents(sum(ramp)) if ramp else None,
            "storage_monthly_usd": cents(self._dollars(self.storage_per_gb)),
            "restore_drill_usd": cents(self._dollars(self.restore_per_gb)),
            "measured": None
            if self.measured_source is None
            else {
                "pitr_backup_storage_gb": self.measured_pitr_gb,
                "on_demand_backup_storage_gb": self.measured_backup_gb,
                "source": self.measured_source,
            },
            "price_source": self.price.kind,
            "price_source_detail": list(self.price.detail),
            "notes": list(self.notes),
        }


@dataclass(slots=True)
class RuleCost:
    """One backup rule: its cost for the sized tables it covers, per 100 GB for the others."""

    address: str
    plan: str
    rule: str
    schedule: str | None
    schedule_error: str | None
    covers_dynamodb: bool | None
    covered_tables: list[str]
    copies_kept: float | str | None
    region: str | None
    monthly_usd: float | None = None  # sized tables (None: never-expiring, or none sized)
    per_100gb: float | None = None  # per 100 GB of each unsized (or unscanned) table
    unsized: list[str] = field(default_factory=list)
    growth_usd: float | None = None
    first_month_usd: float | None = None
    first_year_usd: float | None = None
    overlap: dict[str, Any] | None = None
    price: Provenance = field(default_factory=Provenance)
    not_estimated: str | None = None
    plan_key: str = ""  # the plan's identity (two templates may both have a "Plan")
    created_when: str | None = None  # None: exists; else why it exists only for some inputs

    @property
    def label(self) -> str:
        """The rule name, marked when the rule exists only for some inputs."""
        return self.rule + (" (when created)" if self.created_when else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "plan": self.plan,
            "rule": self.rule,
            "created_when": self.created_when,
            "schedule": self.schedule,
            "schedule_error": self.schedule_error,
            "covers_dynamodb": self.covers_dynamodb,
            "covered_tables": sorted(self.covered_tables),
            "copies_kept": self.copies_kept,
            "region": self.region,
            "monthly_usd": cents(self.monthly_usd),
            "monthly_usd_per_100gb": cents(self.per_100gb),
            "unsized_tables": sorted(self.unsized),
            "monthly_growth_usd": cents(self.growth_usd),
            "first_month_usd": cents(self.first_month_usd),
            "first_12_months_usd": cents(self.first_year_usd),
            "overlap": self.overlap,
            "price_source": self.price.kind,
            "price_source_detail": list(self.price.detail),
            "not_estimated": self.not_estimated,
        }


@dataclass(slots=True)
class Recommendation:
    """A cheaper plan with the same recovery guarantees for one rule, and what it saves."""

    rule: str
    plan: str
    current: str
    proposed: str
    current_usd: float
    proposed_usd: float
    per_100gb: bool
    notes: list[str] = field(default_factory=list)

    @property
    def saving_usd(self) -> float:
        return self.current_usd - self.proposed_usd

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "plan": self.plan,
            "current": self.current,
            "proposed": self.proposed,
            "current_monthly_usd": cents(self.current_usd),
            "proposed_monthly_usd": cents(self.proposed_usd),
            "monthly_saving_usd": cents(self.saving_usd),
            "per_100gb": self.per_100gb,
            "notes": list(self.notes),
        }


@dataclass(slots=True)
class Kpi:
    """One indicator: a stable ``key``, a human ``label``, its JSON ``value`` and ``text``."""

    key: str
    label: str
    value: Any
    text: str


@dataclass(slots=True)
class Totals:
    """Fleet totals: known dollars, per-100-GB parts for unsized tables, ramp, growth."""

    pitr_usd: float = 0.0
    backup_usd: float = 0.0
    unsized_tables: list[str] = field(default_factory=list)
    unsized_per_100gb: float = 0.0  # sum over unsized tables of their cost per 100 GB
    unscanned_rules: list[str] = field(default_factory=list)  # cover no scanned table
    unscanned_per_100gb: float = 0.0
    growing: list[str] = field(default_factory=list)  # tables with never-expiring copies
    growth_usd: float = 0.0
    ramp_usd: list[float] = field(default_factory=lambda: [0.0] * 12)
    not_estimated: list[str] = field(default_factory=list)
    storage_usd: float = 0.0
    restore_drill_usd: float = 0.0
    restore_drill_per_100gb: float = 0.0
    savings_usd: float = 0.0
    savings_per_100gb: float = 0.0

    @property
    def protection_usd(self) -> float:
        return self.pitr_usd + self.backup_usd

    @property
    def anything_known(self) -> bool:
        return bool(self.protection_usd or any(self.ramp_usd) or self.growth_usd) or (
            not self.unsized_tables and not self.unscanned_rules and not self.growing
        )

    def as_dict(self) -> dict[str, Any]:
        steady_known = not self.growing
        return {
            "monthly_pitr_cost_usd": cents(self.pitr_usd),
            "monthly_backup_cost_usd": cents(self.backup_usd),
            "monthly_protection_cost_usd": cents(self.protection_usd),
            "steady_state_complete": steady_known
            and not self.unsized_tables
            and not self.unscanned_rules,
            "unsized_tables": sorted(self.unsized_tables),
            "unsized_usd_per_100gb_each": cents(self.unsized_per_100gb),
            "unscanned_rules": sorted(self.unscanned_rules),
            "unscanned_usd_per_100gb": cents(self.unscanned_per_100gb),
            "growing_tables": sorted(self.growing),
            "monthly_growth_usd": cents(self.growth_usd),
            "first_month_usd": cents(self.ramp_usd[0]),
            "first_12_months_usd": cents(sum(round(x, 2) for x in self.ramp_usd)),
            "ramp_usd": [cents(x) for x in self.ramp_usd],
            "not_estimated": sorted(set(self.not_estimated)),
            "monthly_table_storage_usd": cents(self.storage_usd),
            "restore_drill_usd": cents(self.restore_drill_usd),
            "restore_drill_usd_per_100gb_unsized": cents(self.restore_drill_per_100gb),
            "monthly_savings_usd": cents(self.savings_usd),
            "monthly_savings_usd_per_100gb": cents(self.savings_per_100gb),
        }


@dataclass(slots=True)
class PriceUse:
    """A region whose prices the report used, and how good they are: ``kind`` is the
    weakest of its core prices, ``exact`` the prices that are its own price-list figures."""

    region: str
    kind: PriceSource
    as_of: str
    sources: list[str]
    exact: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "price_source": self.kind,
            "exact_prices": list(self.exact),
            "as_of": self.as_of,
            "sources": self.sources,
        }

    def label(self) -> str:
        """``derived; exact: table_storage, pitr`` when only some prices are exact."""
        if self.kind == PriceSource.EXACT or not self.exact:
            return str(self.kind)
        return f"{self.kind}; exact: {', '.join(self.exact)}"


@dataclass(slots=True)
class CostReport:
    tables: list[TableCost] = field(default_factory=list)
    rules: list[RuleCost] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    kpis: list[Kpi] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    prices: list[PriceUse] = field(default_factory=list)
    currency: str = "USD"

    @property
    def empty(self) -> bool:
        return not self.tables and not self.rules

    def kpi(self, key: str) -> Kpi | None:
        return next((k for k in self.kpis if k.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tables": [t.as_dict() for t in self.tables],
            "rules": [r.as_dict() for r in self.rules],
            "totals": self.totals.as_dict(),
            "kpis": {k.key: k.value for k in self.kpis},
            "recommendations": [r.as_dict() for r in self.recommendations],
            "prices": [p.as_dict() for p in self.prices],
            "currency": self.currency,
        }


def plain(v: Any) -> Any:
    """A Value's plain content, recursively; unknown parts (a copy action whose retention
    depends on an input, inside a known ``retained`` dict) become None."""
    if isinstance(v, Value):
        return plain(v.value) if v.known else None
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def external_id(entry: dict[str, Any]) -> str:
    """The row identity of a table named only by ARN in a selection."""
    return "arn#" + str(entry["arn"])
