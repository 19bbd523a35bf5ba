"""Command-line interface. Each subcommand's work lives in ``ddb_guard.commands.<name>``,
imported only when that subcommand runs (start-up stays lean for pre-commit)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from ddb_guard import __version__
from ddb_guard.enums import FAIL_ON
from ddb_guard.report import COST_FORMATS, FORMATS

# What is scanned and where reported paths start.
_WHAT_TO_SCAN = (
    click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
    click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Config file (default: nearest .ddb-guard.toml or pyproject.toml).",
    ),
    click.option(
        "--root",
        type=click.Path(path_type=Path, file_okay=False),
        help="Directory reported paths are relative to (default: the git top-level "
        "of the first scanned path, found by its .git; else the working directory).",
    ),
)

# Terraform variable values, as terraform plan takes them.
_TERRAFORM_VALUES = (
    click.option(
        "--var",
        "tf_vars",
        multiple=True,
        metavar="NAME=VALUE",
        help="Terraform variable value, like terraform -var (repeatable).",
    ),
    click.option(
        "--var-file",
        "tf_var_files",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Terraform variables file, like terraform -var-file (repeatable).",
    ),
)

# CloudFormation/SAM parameter values, as the AWS CLI and sam deploy take them.
_CLOUDFORMATION_VALUES = (
    click.option(
        "--param",
        "cfn_param",
        multiple=True,
        metavar="NAME=VALUE",
        help="CloudFormation/SAM parameter value for templates declaring NAME (repeatable).",
    ),
    click.option(
        "--parameter-overrides",
        "cfn_param_overrides",
        multiple=True,
        metavar="'A=1 B=2'",
        help="Parameter values as the AWS CLI and sam deploy take them.",
    ),
    click.option(
        "--param-file",
        "cfn_param_files",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help='Parameter file: [{"ParameterKey": ..., "ParameterValue": ...}] or '
        '{"Parameters": {...}} (repeatable).',
    ),
    click.option(
        "--config-env",
        "cfn_config_env",
        metavar="ENV",
        help="samconfig environment whose parameter_overrides apply (default: default).",
    ),
)

# How files are read.
_READING = (
    click.option(
        "--follow-symlinks",
        is_flag=True,
        help="Read symbolic links whose target is outside the scanned tree "
        "(default: skipped with a notice).",
    ),
)

# Where the code is deployed: the region of prices, the Serverless stage.
_DEPLOYMENT = (
    click.option(
        "--region",
        help="Region for prices when the code names none "
        "(CloudFormation). Default: config 'region', else us-east-1.",
    ),
    click.option(
        "--stage",
        help="Serverless Framework stage, like serverless deploy --stage. "
        "Default: config 'serverless-stage', else provider.stage, else dev.",
    ),
)

# Table sizes for the cost estimates.
_TABLE_SIZES = (
    click.option(
        "--table-size",
        "table_sizes",
        multiple=True,
        metavar="NAME=GB",
        help="Size of a table (name, Terraform address or logical id) in GB.",
    ),
    click.option(
        "--table-sizes",
        "describe_files",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="`aws dynamodb describe-table` JSON output (repeatable).",
    ),
    click.option(
        "--usage-file",
        "usage_files",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Infracost usage file with storage_gb per table (repeatable).",
    ),
)


def _common_scan_options(fn):
    """Options shared by `scan`, `fix` and `cost`, in the order help lists them: inputs,
    Terraform variables, CloudFormation parameters, reading, deployment, table sizes."""
    options = (
        *_WHAT_TO_SCAN,
        *_TERRAFORM_VALUES,
        *_CLOUDFORMATION_VALUES,
        *_READING,
        *_DEPLOYMENT,
        *_TABLE_SIZES,
    )
    for option in reversed(options):
        fn = option(fn)
    return fn


_version = click.version_option(__version__, "--version", prog_name="ddb-guard")


class _Command(click.Command):
    """Keeps the raw arguments: ``--var`` and ``--var-file`` apply in command-line order,
    which click's per-option tuples lose."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["ddb_guard.argv"] = list(args)
        return super().parse_args(ctx, args)


def _tf_order(kwargs: dict) -> None:
    """Add ``tf_order``: ``("var", "NAME=VALUE")`` / ``("file", Path)`` in command-line order."""
    ctx = click.get_current_context()
    argv = ctx.meta.get("ddb_guard.argv", [])
    order: list[tuple[str, object]] = []
    it = iter(argv)
    for token in it:
        if token == "--":
            break
        for flag, kind in (("--var", "var"), ("--var-file", "file")):
            if token == flag:
                value = next(it, None)
            elif token.startswith(flag + "="):
                value = token[len(flag) + 1 :]
            else:
                continue
            if value is not None:
                order.append((kind, value if kind == "var" else Path(value)))
    tf_vars, tf_files = kwargs["tf_vars"], kwargs["tf_var_files"]
    if [v for k, v in order if k == "var"] != list(tf_vars) or [
        v for k, v in order if k == "file"
    ] != list(tf_files):  # not parsed as expected: files first, then variables
        order = [("file", f) for f in tf_files] + [("var", v) for v in tf_vars]
    kwargs["tf_order"] = order


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_version
def main() -> None:
    """ddb-guard: find DynamoDB tables that can lose data and backup plans that cost a fortune,
    in Terraform and CloudFormation, before you deploy."""
    # A scan allocates millions of small, long-lived objects (syntax trees, the model); with
    # the default threshold (700) the collector re-walks them over and over, and that is
    # what grew faster than the repository. 20,000 keeps cyclic garbage bounded: 10,000 files
    # 14.5 -> 11.4 s wall with the same peak RSS (scripts/benchmark.py --scaling, 2 cores).
    gc.set_threshold(20_000, 50, 100)


@main.command(cls=_Command)
@_common_scan_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to FILE ('-': standard output); the summary line still goes "
    "to standard error.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Lowest level that makes the exit code 1 (default: config, else warning).",
)
@click.option("--statistics", is_flag=True, help="Show counts for every rule with findings.")
@click.option("--strict", is_flag=True, help="Exit 2 when a file cannot be parsed.")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Exit 0 when a directory holds no Terraform or CloudFormation file (default: exit 2, "
    "nothing was checked).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="IDS",
    help="Run only these rule ids or prefixes, comma-separated (repeatable; any case).",
)
@click.option(
    "--ignore",
    "ignore_rules",
    multiple=True,
    metavar="IDS",
    help="Do not run these rule ids or prefixes, comma-separated (repeatable; any case).",
)
@click.option(
    "--color/--no-color", default=None, help="Colour text output (default: on a terminal)."
)
@click.option(
    "--sarif-output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a SARIF report to FILE (next to the --format report).",
)
@click.option(
    "--json-output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a JSON report to FILE.",
)
@click.option(
    "--junit-output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a JUnit XML report to FILE (one test case per rule and resource).",
)
@click.option(
    "--gitlab-output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a GitLab code quality report to FILE.",
)
@click.option(
    "--exclude",
    "exclude",
    multiple=True,
    metavar="GLOB",
    help="Do not scan paths matching GLOB, relative to the working directory (repeatable; "
    "adds to the config's exclude).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report (and gate on) only findings not in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the current findings' fingerprints to FILE (a baseline for --baseline).",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print only findings and the summary line (no notices)."
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply the safe fixes first (as `ddb-guard fix`), then report what is left.",
)
@click.option(
    "--unsafe",
    is_flag=True,
    help="With --fix: also replace a deciding expression with the protected literal.",
)
@_version
def scan(**kwargs) -> None:
    """Scan PATHS (default: .) and report findings."""
    # lazy: a subcommand imports only its own module (start-up)
    from ddb_guard.commands.scan import run

    _tf_order(kwargs)
    sys.exit(run(**kwargs))


@main.command(cls=_Command)
@_common_scan_options
@click.option(
    "--select",
    multiple=True,
    metavar="IDS",
    help="Fix only these rule ids or prefixes, comma-separated (repeatable; any case).",
)
@click.option(
    "--ignore",
    "ignore_rules",
    multiple=True,
    metavar="IDS",
    help="Do not fix these rule ids or prefixes, comma-separated (repeatable; any case).",
)
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option(
    "--unsafe",
    is_flag=True,
    help='Also replace a deciding expression (var.env == "prod", !If) with the protected '
    "literal, and say so.",
)
def fix(**kwargs) -> None:
    """Apply the safe fixes (PITR, deletion protection, Retain policies) to PATHS in place.

    Edits are spliced into the original text (comments and formatting kept); each edited
    file is re-scanned first and left alone if its fix did not work. Exit 0 when no finding
    remains at the gate's level, 1 when some remain, 2 on errors."""
    # lazy: a subcommand imports only its own module (start-up)
    from ddb_guard.commands.fix import run

    _tf_order(kwargs)
    sys.exit(run(**kwargs))


@main.command(cls=_Command)
@_common_scan_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(COST_FORMATS),
    default="text",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the estimate to FILE instead of standard output.",
)
@_version
def cost(**kwargs) -> None:
    """Estimate what protecting each table costs per month (PITR and backup copies)."""
    # lazy: a subcommand imports only its own module (start-up)
    from ddb_guard.commands.cost import cli

    _tf_order(kwargs)
    sys.exit(cli(**kwargs))


@main.group()
@_version
def pricing() -> None:
    """The price book behind `ddb-guard cost`."""


@pricing.command("update")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the price book to FILE (default: standard output).",
)
@click.option(
    "--source",
    metavar="URL|DIR",
    help="Where the offer files are: the AWS Price List (default "
    "https://pricing.us-east-1.amazonaws.com) or a directory holding the same "
    "offers/v1.0/aws/... tree.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@_version
def pricing_update(output: Path | None, source: str | None, quiet: bool) -> None:
    """Build a price book from the AWS Price List bulk offer files (AmazonDynamoDB, AWSBackup).

    The files are public (no AWS credentials). Point the configuration at the result:
    [tool.ddb-guard] price-book = "FILE".
    """
    # lazy: a subcommand imports only its own module (start-up)
    from ddb_guard.commands.pricing import update

    sys.exit(update(output, source, quiet))


@main.command("rules")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json", "markdown")),
    default="table",
    show_default=True,
)
@_version
def rules_cmd(fmt: str) -> None:
    """List the rules."""
    # lazy: a subcommand imports only its own module (start-up)
    from ddb_guard.commands.rules import run

    sys.exit(run(fmt))


@main.command("cfn-lint-rules")
@_version
def cfn_lint_rules() -> None:
    """Print the directory of ddb-guard's cfn-lint custom rules, for
    cfn-lint --append-rules (needs: pip install 'ddb-guard[cfn-lint]')."""
    # lazy: a subcommand imports only its own module (start-up)
    from ddb_guard.cfnlint import RULES_DIR

    click.echo(str(RULES_DIR))


@main.command()
@click.argument("rule_id")
@_version
def explain(rule_id: str) -> None:
    """Show a rule's documentation: what it checks, why, how to fix it."""
    # lazy: a subcommand imports only its own module (start-up)
    from ddb_guard.commands.rules import explain as run

    sys.exit(run(rule_id))


@main.command("validate-rules")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@_version
def validate_rules(files: tuple[Path, ...]) -> None:
    """Check rule files against the rule schema (default: the shipped rules)."""
    # lazy: a subcommand imports only its own module (start-up)
    from ddb_guard.commands.rules import validate

    sys.exit(validate(list(files)))


if __name__ == "__main__":  # pragma: no cover
    main()
