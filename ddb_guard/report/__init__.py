"""Output formats: one module per format, chosen through a single registry.

The registry maps what is rendered (``scan`` results, the ``cost`` report) and a format name
to the module that renders it. A scan format module defines ``render(result, options) -> str``
(:class:`Reporter`); a cost format module defines ``render(report) -> str``
(:class:`CostReporter`, over :class:`ddb_guard.costreport.data.CostReport`). Modules are
imported only when asked for, so importing this package costs next to nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from ddb_guard import __version__
from ddb_guard.enums import Level

if TYPE_CHECKING:
    from ddb_guard.costreport.data import CostReport
    from ddb_guard.result import ScanResult

# The one registry: report kind -> format name -> module that renders it.
_MODULES: dict[str, dict[str, str]] = {
    "scan": {
        "text": "ddb_guard.report.text",
        "json": "ddb_guard.report.json",
        "sarif": "ddb_guard.report.sarif",
        "github": "ddb_guard.report.github",
        "junit": "ddb_guard.report.junit",
        "gitlab": "ddb_guard.report.gitlab",
    },
    "cost": {
        "text": "ddb_guard.costreport.render_text",
        "json": "ddb_guard.costreport.render_json",
        "markdown": "ddb_guard.costreport.render_markdown",
    },
}

FORMATS: tuple[str, ...] = tuple(_MODULES["scan"])
COST_FORMATS: tuple[str, ...] = tuple(_MODULES["cost"])


@dataclass(slots=True)
class ReportOptions:
    """How to render. ``fail_on`` (error|warning|note|never) is the lowest level that
    fails the run; ``tool_version`` is the version written into JSON and SARIF."""

    color: bool = False
    statistics: bool = False
    fail_on: str = Level.WARNING  # or NEVER
    tool_version: str = __version__


@runtime_checkable
class Reporter(Protocol):
    """What a format module provides."""

    def render(self, result: ScanResult, options: ReportOptions) -> str: ...


@runtime_checkable
class CostReporter(Protocol):
    """What a cost-report format module provides."""

    def render(self, report: CostReport) -> str: ...


def _module(kind: str, name: str) -> object:
    formats = _MODULES[kind]
    try:
        module = formats[name]
    except KeyError:
        raise ValueError(
            f"unknown output format {name!r} (choose from {', '.join(formats)})"
        ) from None
    return importlib.import_module(module)


def get_reporter(name: str) -> Reporter:
    """The reporter for output format ``name``; ``ValueError`` for an unknown name."""
    return cast(Reporter, _module("scan", name))


def get_cost_reporter(name: str) -> CostReporter:
    """The cost-report renderer for format ``name``; ``ValueError`` for an unknown name."""
    return cast(CostReporter, _module("cost", name))
