"""What `scan` and `cost` share: building the scan context and configuration from options,
and turning fatal errors into a one-line message with exit code 2."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ddb_guard.config import Config, load_config, repo_root
from ddb_guard.context import ScanContext
from ddb_guard.errors import ConfigError, FatalError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def parse_pairs(pairs: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    out = []
    for item in pairs:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"{option} {item!r}: expected NAME=VALUE")
        out.append((name.strip(), value))
    return out


def prepare(
    paths: tuple[Path, ...],
    config_file: Path | None,
    tf_vars: tuple[str, ...],
    tf_var_files: tuple[Path, ...],
    region: str | None,
    follow_symlinks: bool = False,
    stage: str | None = None,
    root: Path | None = None,
    tf_order: list[tuple[str, Any]] | None = None,
    sizes: dict[str, Any] | None = None,
) -> tuple[list[Path], ScanContext, Config]:
    """Targets, scan context and configuration from the command-line options.

    The root (what reported paths are relative to) is ``--root``, else the git top-level of
    the first path, else the working directory. The configuration is looked up from the
    first path upwards, then from the working directory. Every input file named in an
    option must exist (exit 2 otherwise)."""

    targets = list(paths) or [Path(".")]
    cwd = Path.cwd()
    if root is not None:
        if not root.is_dir():
            raise ConfigError(f"--root {root}: no such directory")
        base = Path(os.path.abspath(root))
    else:
        base = repo_root(targets[0]) or cwd
    config = load_config(config_file, targets[0], cwd)
    if config.shadowed:
        print(f"ddb-guard: warning: {config.shadowed}", file=sys.stderr)
    for option, files in (
        ("--var-file", tf_var_files),
        ("--table-sizes", (sizes or {}).get("describe_files", ())),
        ("--usage-file", (sizes or {}).get("usage_files", ())),
    ):
        for f in files:
            if not Path(f).is_file():
                raise ConfigError(f"{option} {f}: no such file")
    cfn_params = _cfn_params(sizes or {})
    absolute = {f: Path(os.path.abspath(f)) for f in tf_var_files}  # relative to the cwd
    order = tf_order or [("file", f) for f in tf_var_files] + [("var", v) for v in tf_vars]
    ctx = ScanContext(
        root=base,
        tf_vars=parse_pairs(tf_vars, "--var"),
        tf_var_files=[absolute[f] for f in tf_var_files],
        tf_order=[
            (kind, absolute.get(v, Path(os.path.abspath(v))))
            if kind == "file"
            else (kind, parse_pairs((v,), "--var")[0])
            for kind, v in order
        ],
        default_region=region or config.region or "us-east-1",
        follow_symlinks=follow_symlinks,
        serverless_stage=stage or config.serverless_stage,
        cfn_params=cfn_params,
        cfn_config_env=(sizes or {}).pop("cfn_config_env", None) or "default",
    )
    return targets, ctx, config


def prepare_cli(
    paths: tuple[Path, ...],
    config_file: Path | None,
    tf_vars: tuple[str, ...],
    tf_var_files: tuple[Path, ...],
    region: str | None,
    stage: str | None,
    options: dict[str, Any],
) -> tuple[list[Path], ScanContext, Config]:
    """:func:`prepare` from a command's options; takes the shared input options (symlinks,
    root, Terraform variable order, parameters, sizes) out of ``options``."""
    return prepare(
        paths,
        config_file,
        tf_vars,
        tf_var_files,
        region,
        follow_symlinks=options.pop("follow_symlinks", False),
        stage=stage,
        root=options.pop("root", None),
        tf_order=options.pop("tf_order", None),
        sizes=options,
    )


def split_ids(values: tuple[str, ...]) -> list[str]:
    """``--select ddb001,DDB005 --select BKP`` -> ["DDB001", "DDB005", "BKP"] (ids are
    case-insensitive)."""
    return [part.strip().upper() for v in values for part in v.split(",") if part.strip()]


def select_rules(config: Config, select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """``--select`` replaces the configured selection; ``--ignore`` adds to it."""
    if select:
        config.select = split_ids(select)
    if ignore:
        config.ignore = [*config.ignore, *split_ids(ignore)]


def _cfn_params(options: dict[str, Any]) -> dict[str, str]:
    """CloudFormation parameter values: --param-file files in order, then
    --parameter-overrides, then --param (the later wins)."""
    files = options.pop("cfn_param_files", ())
    overrides = options.pop("cfn_param_overrides", ())
    pairs = options.pop("cfn_param", ())
    values: dict[str, str] = {}
    if files or overrides:
        # lazy: importing the CloudFormation front-end costs ~45 ms a pre-commit run
        from ddb_guard.cloudformation.params import parse_overrides, read_param_file

        for f in files:
            values.update(read_param_file(Path(f)))
        for text in overrides:
            values.update(parse_overrides(text, "--parameter-overrides"))
    values.update(parse_pairs(pairs, "--param"))
    return values


def guarded(fn: Callable[[], int]) -> int:
    """Run a command body: fatal errors print one line and exit 2, never a traceback."""
    try:
        return fn()
    except FatalError as exc:
        print(f"ddb-guard: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception as exc:  # a bug: say so briefly, exit 2
        import os

        if os.environ.get("DDB_GUARD_DEBUG"):
            raise
        print(
            f"ddb-guard: internal error: {type(exc).__name__}: {exc} "
            "(set DDB_GUARD_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def write_output(text: str, output: Path | None) -> None:
    """Write to ``output``; ``None`` or ``-`` is standard output."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FatalError(f"cannot write {output}: {exc.strerror or exc}") from None


def enrich_settings(config: Config, ctx: ScanContext, kwargs: dict[str, Any]):
    """Enrichment settings (sizes, prices, region) from config and command-line options."""
    # lazy: `rules` and `explain` import this module and never enrich
    from ddb_guard.enrich.settings import EnrichSettings

    settings = EnrichSettings.from_options(
        config,
        ctx,
        table_sizes=parse_pairs(kwargs.get("table_sizes", ()), "--table-size"),
        describe_files=list(kwargs.get("describe_files", ())),
        usage_files=list(kwargs.get("usage_files", ())),
    )
    # --region / config `region`: a name with no prices is a usage error (exit 2)
    where = "--region" if ctx.default_region != (config.region or "us-east-1") else "region"
    if config.region and ctx.default_region == config.region:
        where = f"region in {config.source or 'config'}"
    if ctx.default_region != "us-east-1" or config.region or settings.price_book is not None:
        # the bundled table always prices us-east-1: without a named region or a price book
        # nothing is checked, and the pricing data loads only when a cost is computed
        settings.prices().check_region(ctx.default_region, where)
    return settings
