"""`ddb-guard pricing update`: write a price book from the AWS Price List offer files."""

from __future__ import annotations

import sys
from pathlib import Path

from ddb_guard.commands.common import guarded, write_output
from ddb_guard.enrich.offers import DEFAULT_BASE, Source, build_book, dump_book
from ddb_guard.enrich.pricing import load_data


def update(output: Path | None, source: str | None, quiet: bool) -> int:
    """Download (or read from ``source``) the offer files and write the book; exit 0 or 2."""

    def body() -> int:
        def progress(what: str) -> None:
            if not quiet:
                print(f"ddb-guard: reading {what}", file=sys.stderr)

        book = build_book(Source(source or DEFAULT_BASE), load_data(), progress)
        write_output(dump_book(book), output)
        if output is not None and not quiet:
            n = sum(1 for r in book["regions"].values() if "derived_from" not in r)
            print(
                f"ddb-guard: wrote {output} ({n} regions with price-list figures, as of "
                f'{book["as_of"]}); use it with [tool.ddb-guard] price-book = "{output}"',
                file=sys.stderr,
            )
        return 0

    return guarded(body)
