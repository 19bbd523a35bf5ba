"""Configuration: ``[tool.ddb-guard]`` in pyproject.toml or a ``.ddb-guard.toml`` file.

```toml
[tool.ddb-guard]            # in .ddb-guard.toml the keys sit at top level
select = ["DDB", "BKP001"]  # rule ids or id prefixes to run (default: all)
ignore = ["DDB002"]         # rule ids or prefixes not to run
exclude = ["legacy/**"]     # glob patterns of paths not to scan
fail-on = "warning"         # error | warning | note | never
region = "us-east-1"        # default region for CloudFormation prices
serverless-stage = "prod"   # Serverless Framework stage (default: the service's own)

[tool.ddb-guard.rules.DDB002]
level = "note"              # per-rule level override
min_days = 14               # rule parameters by name

[tool.ddb-guard.pricing.us-east-1]
backup_warm = 0.08          # negotiated rates, USD per GB-month

[tool.ddb-guard.tables."orders"]
size_gb = 500               # table sizes for cost estimates

[tool.ddb-guard.accounts]   # one scan is one AWS account unless this says otherwise
prod = ["infra/prod/**"]    # account name -> path globs, relative to this file's directory
shared = ["infra/shared/**", "cdk.out/**"]
```

An unknown key or a bad value is a :class:`ConfigError` naming the file and key.
"""

from __future__ import annotations

import fnmatch
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddb_guard.engine.rule import Rule
from ddb_guard.enums import FAIL_ON, LEVELS, Level
from ddb_guard.errors import ConfigError

# Rule parameters that were replaced: (rule, old name) -> what to write instead.
RETIRED_PARAMS = {
    ("BKP001", "max_days"): "max_copies (full copies kept at steady state: a daily rule "
    "kept N days keeps N copies, an hourly one 24 x N; default 7)",
}
_TOP_KEYS = {
    "select",
    "ignore",
    "exclude",
    "fail-on",
    "region",
    "serverless-stage",
    "rules",
    "pricing",
    "price-book",
    "tables",
    "accounts",
}


@dataclass(slots=True)
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    fail_on: str = Level.WARNING  # or NEVER
    region: str | None = None
    serverless_stage: str | None = None
    rule_settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    pricing: dict[str, dict[str, float]] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: dict[str, list[str]] = field(default_factory=dict)  # name -> path globs
    price_book: str | None = None  # a price book file (`ddb-guard pricing update --output`)
    source: str = ""  # the file it came from, for messages
    base: Path | None = None  # directory of that file: ``exclude`` and account globs
    # are relative to it
    shadowed: str = ""  # a config file in the same directory that this one overrides
    # ``scan --exclude GLOB``: relative to the working directory, like a path typed there
    cli_exclude: list[str] = field(default_factory=list)
    cli_base: Path | None = None

    def apply(self, rules: list[Rule]) -> list[Rule]:
        """Select rules and apply level/parameter overrides; raises on unknown rule ids."""
        ids = {r.id for r in rules}
        self.select = [p.upper() for p in self.select]
        self.ignore = [p.upper() for p in self.ignore]
        for rid in self.rule_settings:
            if rid not in ids:
                raise ConfigError(f"{self.source or 'config'}: rules.{rid}: no such rule")
        for pattern in (*self.select, *self.ignore):
            if not any(r.startswith(pattern) for r in ids):
                raise ConfigError(f"{self.source or 'config'}: no rule matches {pattern!r}")
        chosen = []
        for rule in rules:
            if self.select and not any(rule.id.startswith(p) for p in self.select):
                continue
            if any(rule.id.startswith(p) for p in self.ignore):
                continue
            settings = self.rule_settings.get(rule.id, {})
            where = f"{self.source or 'config'}: rules.{rule.id}"
            params = dict(rule.param_values)
            for key, value in settings.items():
                if key == "level":
                    if value not in LEVELS:
                        raise ConfigError(f"{where}.level: must be one of {', '.join(LEVELS)}")
                    rule.level = Level(value)
                elif key in rule.params:
                    default = rule.params[key].default
                    if isinstance(value, (int, float)) and not _is_number(value):
                        raise ConfigError(f"{where}.{key}: must be a finite number, not {value!r}")
                    if _is_number(default) and not _is_number(value):
                        raise ConfigError(f"{where}.{key}: must be a number")
                    if isinstance(default, list):
                        value = _str_list(value, f"{where}.{key}")
                    if isinstance(default, dict):
                        value = _str_lists(value, f"{where}.{key}")
                    params[key] = value
                elif (rule.id, key) in RETIRED_PARAMS:
                    raise ConfigError(
                        f"{where}.{key}: this parameter was replaced by "
                        f"{RETIRED_PARAMS[rule.id, key]}"
                    )
                else:
                    known = ", ".join(["level", *sorted(rule.params)])
                    raise ConfigError(f"{where}: unknown key {key!r} (known: {known})")
            rule.param_values = params
            chosen.append(rule)
        return chosen

    def excludes(self, path: Path | str, default_base: Path) -> bool:
        """Whether ``path`` (absolute, or relative to the working directory) matches an
        ``exclude`` glob, taken relative to the config file's directory (``default_base``
        for a config that has no file), or a ``--exclude`` glob, relative to the working
        directory."""
        if self.cli_exclude and _matches(path, self.cli_base or Path.cwd(), self.cli_exclude):
            return True
        if not self.exclude:
            return False
        base = os.path.abspath(self.base or default_base)
        rel = os.path.relpath(os.path.abspath(path), base)
        if rel == ".." or rel.startswith(".." + os.sep):
            return False  # outside the config's directory
        return self.excluded(Path(rel).as_posix())

    def excluded(self, rel_path: str) -> bool:
        """Whether ``rel_path`` (relative to the config file's directory) is excluded."""
        return any(
            fnmatch.fnmatch(rel_path, pat) or fnmatch.fnmatch(rel_path, pat.rstrip("/") + "/*")
            for pat in self.exclude
        )


def _matches(path: Path | str, base: Path, patterns: list[str]) -> bool:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    if rel == ".." or rel.startswith(".." + os.sep):
        return False
    rel = Path(rel).as_posix()
    return any(
        fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*")
        for p in (pat.removeprefix("./") for pat in patterns)
    )


MAX_NUMBER = 1e15  # larger numbers (and NaN, infinity) are rejected where they come in
MAX_SIZE_GB = 1e9  # an exabyte: larger table sizes are a typo
MAX_PRICE = 1e6  # USD per GB-month


def _is_number(value: Any, limit: float = MAX_NUMBER) -> bool:
    """A finite int or float no larger than ``limit`` in magnitude (TOML has nan and inf)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value) and abs(value) <= limit
    except OverflowError:  # an int too large for a float
        return False


def _str_lists(value: Any, where: str) -> dict[str, list[str]]:
    """A table of string lists (``allowed_values = { env = ["prod", "dev"] }``)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of lists of strings")
    return {str(k): _str_list(v, f"{where}.{k}") for k, v in value.items()}


def _str_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return value


def from_mapping(data: dict[str, Any], source: str) -> Config:
    """Validate a ``[tool.ddb-guard]`` table into a :class:`Config`."""
    cfg = Config(source=source)
    for key, value in data.items():
        where = f"{source}: {key}"
        if key not in _TOP_KEYS:
            raise ConfigError(f"{where}: unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
        if key == "select":  # rule ids are case-insensitive
            cfg.select = [v.upper() for v in _str_list(value, where)]
        elif key == "ignore":
            cfg.ignore = [v.upper() for v in _str_list(value, where)]
        elif key == "exclude":
            cfg.exclude = _str_list(value, where)
        elif key == "fail-on":
            if value not in FAIL_ON:
                raise ConfigError(f"{where}: must be one of {', '.join(FAIL_ON)}")
            cfg.fail_on = value
        elif key == "region":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: must be a region name such as 'us-east-1'")
            cfg.region = value
        elif key == "serverless-stage":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: must be a stage name such as 'prod'")
            cfg.serverless_stage = value
        elif key == "rules":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError(f"{where}: must be a table of [rules.<ID>] tables")
            cfg.rule_settings = {str(k).upper(): v for k, v in value.items()}
        elif key == "pricing":
            cfg.pricing = _pricing(value, where)
        elif key == "price-book":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: must be the path of a price book file")
            cfg.price_book = value
        elif key == "tables":
            cfg.tables = _tables(value, where)
        elif key == "accounts":
            cfg.accounts = _accounts(value, where)
    return cfg


def _accounts(value: Any, where: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of account name = [path globs]")
    out = {}
    for name, globs in value.items():
        if not name:
            raise ConfigError(f"{where}: an account name must not be empty")
        out[str(name)] = _str_list(globs, f"{where}.{name}")
    return out


def _pricing(value: Any, where: str) -> dict[str, dict[str, float]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of [pricing.<region>] tables")
    # lazy: the price book's module only for a config with [pricing]
    from ddb_guard.enrich.pricing import PRICE_KEYS

    out: dict[str, dict[str, float]] = {}
    for region, prices in value.items():
        if not isinstance(prices, dict):
            raise ConfigError(f"{where}.{region}: must be a table of prices")
        for name, price in prices.items():
            if name not in PRICE_KEYS:
                known = ", ".join(sorted(PRICE_KEYS))
                raise ConfigError(f"{where}.{region}.{name}: unknown price (known: {known})")
            if not _is_number(price, MAX_PRICE) or price < 0:
                raise ConfigError(
                    f"{where}.{region}.{name}: must be a finite non-negative number "
                    f"up to {MAX_PRICE:g}, not {price!r}"
                )
        out[region] = {k: float(v) for k, v in prices.items()}
    return out


def _tables(value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: must be a table of [tables."NAME"] tables')
    for name, spec in value.items():
        if not isinstance(spec, dict) or set(spec) - {"size_gb"}:
            raise ConfigError(f"{where}.{name}: only 'size_gb' is supported")
        size = spec.get("size_gb")
        if not _is_number(size, MAX_SIZE_GB) or size < 0:
            raise ConfigError(
                f"{where}.{name}.size_gb: must be a finite non-negative number "
                f"up to {MAX_SIZE_GB:g}, not {size!r}"
            )
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def repo_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a directory, or the file
    of a worktree or submodule): the git top-level, found without running git."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return None


_NAMES = (".ddb-guard.toml", "pyproject.toml")


def load_config(explicit: Path | None, start: Path, fallback: Path | None = None) -> Config:
    """``--config FILE``, else the nearest ``.ddb-guard.toml`` or ``pyproject.toml`` with a
    ``[tool.ddb-guard]`` table from ``start`` (the scanned path) upwards, stopping at the
    repository root; if there is none, the same search from ``fallback`` (the working
    directory). In one directory ``.ddb-guard.toml`` wins over ``pyproject.toml``
    (``Config.shadowed`` says so)."""
    if explicit is not None:
        return _from_file(explicit, required=True) or Config(
            source=str(explicit), base=Path(os.path.abspath(explicit)).parent
        )
    starts = [start] + ([fallback] if fallback is not None else [])
    for origin in starts:
        here = Path(os.path.abspath(origin))
        if not here.is_dir():
            here = here.parent
        for directory in (here, *here.parents):
            found = [
                cfg
                for cfg in (_from_file(directory / n, required=False) for n in _NAMES)
                if cfg is not None
            ]
            if found:
                cfg = found[0]
                if len(found) > 1:
                    cfg.shadowed = (
                        f"{directory / 'pyproject.toml'}: [tool.ddb-guard] is not used: "
                        f".ddb-guard.toml in the same directory takes precedence"
                    )
                return cfg
            if (directory / ".git").exists():
                break
    return Config()


def _from_file(path: Path, required: bool) -> Config | None:
    if not required and not path.is_file():
        return None
    data = _read_toml(path)
    base = Path(os.path.abspath(path)).parent
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("ddb-guard")
        if table is None:
            if required:
                raise ConfigError(f"{path}: no [tool.ddb-guard] table")
            return None
        cfg = from_mapping(table, f"{path.name} [tool.ddb-guard]")
    else:
        cfg = from_mapping(data, path.name)
    cfg.base = base
    return cfg
