"""Extension point: more KPIs in the cost report without touching the builder.

A provider is ``fn(model, report) -> list[Kpi]``; it runs after the built-in KPIs, and its
KPIs appear in JSON (``kpis.<key>``), text and Markdown (``label: text``). Register one at
import time of its module (and import that module from :func:`providers`)::

    from ddb_guard.costreport.extensions import register

    @register
    def fleet_kpis(model, report):
        return [Kpi("roles_unable_to_back_up", "Roles unable to back up", 2, "2")]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ddb_guard.costreport.data import CostReport, Kpi
    from ddb_guard.model import Model

KpiProvider = Callable[["Model", "CostReport"], "list[Kpi]"]
_PROVIDERS: list[KpiProvider] = []


def register(fn: KpiProvider) -> KpiProvider:
    """Add a KPI provider (idempotent)."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


_BUILTIN = ("ddb_guard.costreport.fleet",)  # modules that register providers on import


def providers() -> list[KpiProvider]:
    """The registered providers (built-in ones first), in registration order."""
    from importlib import import_module

    for name in _BUILTIN:
        import_module(name)
    return list(_PROVIDERS)
