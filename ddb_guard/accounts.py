"""Which AWS account each entity is deployed to.

One scan is one account by default: every entity has ``account == ""`` and backup plans may
select any scanned table. A monorepo holding several accounts' code says which paths belong
to which account in ``[tool.ddb-guard.accounts]`` (name -> path globs, relative to the
configuration file's directory; ``*`` matches across ``/``; ``dir/**`` or ``dir`` take a whole
directory). The first account whose glob matches an entity's file wins; files no glob
matches stay in the default account. A CDK stack whose ``cdk.out/manifest.json`` names a
concrete environment (``aws://123456789012/us-east-1``) is in that account (the account id
is its name) unless a glob names it. Selections by tag, wildcard or ARN reach only tables
of their own account (see :func:`ddb_guard.enrich.enrich`).
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.model import Model


def _matches(rel: str, pattern: str) -> bool:
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    bare = pattern.rstrip("/")
    if bare.endswith("/**"):
        bare = bare[:-3]
    return (
        fnmatch.fnmatchcase(rel, pattern)
        or fnmatch.fnmatchcase(rel, bare)
        or fnmatch.fnmatchcase(rel, bare + "/*")
    )


def account_for(rel: str, accounts: dict[str, list[str]]) -> str | None:
    """The configured account of the file at ``rel`` (relative to the config's directory)."""
    for name, globs in accounts.items():
        if any(_matches(rel, g) for g in globs):
            return name
    return None


def assign_accounts(model: Model, config: Config, ctx: ScanContext) -> None:
    """Set ``Entity.account`` from ``config.accounts`` (CDK accounts stay unless a glob
    names the file)."""
    if not config.accounts:
        return
    base = config.base or ctx.root
    cache: dict[str, str | None] = {}
    for entity in model.entities:
        where = (entity.report_loc or entity.loc).path
        if where not in cache:
            absolute = os.path.abspath(ctx.root / where)
            try:
                rel = Path(os.path.relpath(absolute, base)).as_posix()
            except ValueError:  # another drive
                rel = Path(absolute).as_posix()
            cache[where] = account_for(rel, config.accounts)
        name = cache[where]
        if name is not None:
            entity.account = name
