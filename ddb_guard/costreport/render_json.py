"""The cost report as JSON: :meth:`CostReport.as_dict`, sorted keys, scanned values inert."""

from __future__ import annotations

import json

from ddb_guard.costreport.data import CostReport
from ddb_guard.report.safe import json_safe


def render(report: CostReport) -> str:
    """Indented JSON with sorted keys (deterministic), ending with a newline."""
    text = json.dumps(report.as_dict(), indent=2, sort_keys=True, ensure_ascii=False)
    return json_safe(text) + "\n"
