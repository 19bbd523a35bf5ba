"""What enrichment needs besides the model: default region, table sizes, price overrides.

Sizes are loaded lazily (files are read the first time :meth:`EnrichSettings.sizes` is
called) and merged with this precedence, highest first: ``--table-size`` pairs,
describe-table files, Infracost usage files (later files win over earlier ones), config
``[tool.ddb-guard.tables."NAME"] size_gb``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ddb_guard.enrich.sizes import (
    MeasuredUsage,
    SizeTable,
    TableSize,
    parse_describe_table,
    parse_usage_file,
    parse_usage_measured,
    sizes_from_config,
    sizes_from_pairs,
)
from ddb_guard.errors import ConfigError
from ddb_guard.model import Notice

if TYPE_CHECKING:
    from ddb_guard.config import Config
    from ddb_guard.context import ScanContext
    from ddb_guard.enrich.pricing import PriceBook


@dataclass(slots=True)
class EnrichSettings:
    """Settings for :func:`ddb_guard.enrich.enrich`.

    ``table_sizes``: ``--table-size`` values already parsed (name -> :class:`TableSize`).
    ``config_tables``/``config_source``: ``[tool.ddb-guard.tables]`` and the file it is in.
    ``describe_files``/``usage_files``: size files, read lazily. ``pricing_overrides``:
    ``{"us-east-1": {"backup_warm": 0.08}}``. ``root``: paths in notices are relative to it.
    ``this_year``: first year of schedule analysis (default: the current year).
    """

    default_region: str = "us-east-1"
    default_region_source: str = "default region us-east-1"
    table_sizes: dict[str, TableSize] = field(default_factory=dict)
    config_tables: Mapping[str, Any] = field(default_factory=dict)
    config_source: str = ""
    describe_files: list[Path] = field(default_factory=list)
    usage_files: list[Path] = field(default_factory=list)
    pricing_overrides: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    price_book: Path | None = None  # a price book file instead of the bundled one
    root: Path | None = None
    this_year: int | None = None
    _sizes: SizeTable | None = None
    _notices: list[Notice] = field(default_factory=list)
    _measured: dict[str, MeasuredUsage] = field(default_factory=dict)
    _prices: PriceBook | None = None

    @classmethod
    def from_config(cls, config: Config, ctx: ScanContext) -> EnrichSettings:
        """Settings from the configuration and scan context only (no command-line sizes)."""
        return cls.from_options(config, ctx)

    @classmethod
    def from_options(
        cls,
        config: Config,
        ctx: ScanContext,
        table_sizes: list[tuple[str, str]] | None = None,
        describe_files: list[Path] | None = None,
        usage_files: list[Path] | None = None,
    ) -> EnrichSettings:
        """Settings from config + ``--table-size``/``--table-sizes``/``--usage-file`` options.

        Raises :class:`~ddb_guard.errors.ConfigError` for a malformed ``--table-size`` value.
        """

        sizes, errors = sizes_from_pairs(list(table_sizes or []))
        if errors:
            raise ConfigError(errors[0])
        region = ctx.default_region
        if config.region and config.region == region:
            region_source = f"region {region} from {config.source or 'config'}"
        else:
            region_source = f"default region {region}"
        return cls(
            default_region=region,
            default_region_source=region_source,
            table_sizes=sizes,
            config_tables=dict(config.tables),
            config_source=config.source,
            describe_files=list(describe_files or []),
            usage_files=list(usage_files or []),
            pricing_overrides=dict(config.pricing),
            price_book=(
                (config.base or Path.cwd()) / config.price_book if config.price_book else None
            ),
            root=ctx.root,
        )

    def _rel(self, path: Path) -> str:
        if self.root is not None:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def sizes(self) -> SizeTable:
        """All supplied sizes (loaded on first use; file problems become :meth:`notices`)."""
        if self._sizes is None:
            table = SizeTable()
            table.update(sizes_from_config(dict(self.config_tables), self.config_source))
            for path in self.usage_files:
                found, notices = parse_usage_file(path, self._rel(path))
                table.update(found)
                self._notices.extend(notices)
                measured, notices = parse_usage_measured(path, self._rel(path))
                self._measured.update(measured)
                self._notices.extend(notices)
            for path in self.describe_files:
                found, notices = parse_describe_table(path, self._rel(path))
                table.update(found)
                self._notices.extend(notices)
            table.update(self.table_sizes)
            self._sizes = table
        return self._sizes

    def measured(self) -> dict[str, MeasuredUsage]:
        """Backup storage measured in Infracost usage files, by table address."""
        self.sizes()
        return dict(self._measured)

    def notices(self) -> list[Notice]:
        """Problems found while loading size files."""
        self.sizes()
        return list(self._notices)

    def prices(self) -> PriceBook:
        """The price book with config overrides (the YAML loads on the first price asked)."""
        if self._prices is None:
            # lazy: prices only when a cost is computed
            from ddb_guard.enrich.pricing import PriceBook

            data = None
            if self.price_book is not None:
                # lazy: prices only when a cost is computed
                from ddb_guard.enrich.pricing import load_book_file

                data = load_book_file(self.price_book)
            self._prices = PriceBook(self.pricing_overrides, data)
        return self._prices
