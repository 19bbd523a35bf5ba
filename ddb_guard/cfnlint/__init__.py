"""cfn-lint custom rules (``pip install 'ddb-guard[cfn-lint]'``): thin adapters that run
ddb-guard's own pipeline and rule engine on the template cfn-lint is linting, so
``cfn-lint --append-rules "$(ddb-guard cfn-lint-rules)" template.yaml`` (and the editor
extension) report ddb-guard's findings, ``DDB001: ...``, at ddb-guard's line and column.

cfn-lint rule ids are one letter and four digits, so there is one adapter per level:
E9100 (ddb-guard errors), W9100 (warnings), I9100 (notes); the ddb-guard rule id leads the
message. Configuration (.ddb-guard.toml / pyproject.toml) is found as ``ddb-guard scan``
finds it, from the template upwards. Nothing here is imported on the default scan path.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).parent / "rules"

Finding = tuple[str, str, tuple[int, int, int, int]]  # level, "DDB001: message", 0-based span


@lru_cache(maxsize=64)
def findings_for(filename: str) -> tuple[Finding, ...]:
    """ddb-guard's active findings located in ``filename``, for the adapters."""
    # lazy: `ddb-guard cfn-lint-rules` imports this package for RULES_DIR only
    from ddb_guard.config import load_config
    from ddb_guard.context import ScanContext
    from ddb_guard.pipeline import scan
    from ddb_guard.report.safe import clean

    path = Path(filename)
    root = path.resolve().parent
    ctx = ScanContext(root=root)
    config = load_config(None, path, Path.cwd())
    result = scan([path], ctx, config)
    rel = ctx.rel(path)
    out: list[Finding] = []
    for f in result.active:
        if f.loc.path != rel or f.rule_id == "PARSE001":  # cfn-lint reports its own parse errors
            continue
        line, column = max(f.loc.line, 1), max(f.loc.column, 1)
        end_line = max(f.loc.end_line or line, line)
        end_column = f.loc.end_column or column
        span = (line - 1, column - 1, end_line - 1, end_column - 1)
        out.append((f.level, clean(f"{f.rule_id}: {f.message}"), span))
    return tuple(out)
