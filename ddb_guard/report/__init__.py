"""Output formats: one module per format, chosen through a single registry.

Each format module defines ``render(result, options) -> str`` and so satisfies
:class:`Reporter` structurally. Modules are imported only when asked for, so importing
this package costs next to nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from ddb_guard import __version__
from ddb_guard.enums import Level

if TYPE_CHECKING:
    from ddb_guard.result import ScanResult

# The one registry: format name -> module that renders it.
_MODULES: dict[str, str] = {
    "text": "ddb_guard.report.text",
    "json": "ddb_guard.report.json",
    "sarif": "ddb_guard.report.sarif",
    "github": "ddb_guard.report.github",
    "junit": "ddb_guard.report.junit",
    "gitlab": "ddb_guard.report.gitlab",
}

FORMATS: tuple[str, ...] = tuple(_MODULES)


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


def get_reporter(name: str) -> Reporter:
    """The reporter for output format ``name``; ``ValueError`` for an unknown name."""
    try:
        module = _MODULES[name]
    except KeyError:
        raise ValueError(
            f"unknown output format {name!r} (choose from {', '.join(FORMATS)})"
        ) from None
    return cast(Reporter, importlib.import_module(module))
