"""JUnit XML, as Jenkins, GitLab and Azure DevOps read it: one ``testcase`` per rule and
resource the rule checks (``classname`` the rule id, ``name`` the resource address, ``file``
its path). A finding at or above ``--fail-on`` is a ``failure`` (``type`` its level); a
suppressed finding is ``skipped`` with the reason; a finding below ``--fail-on`` passes
with the message in ``system-out``. Scanned values are cleaned (:mod:`ddb_guard.report.safe`):
control characters are not allowed in XML 1.0, and a report stays one value per field.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ddb_guard.enums import Kind
from ddb_guard.report.safe import clean
from ddb_guard.report.summary import failing, ordered

if TYPE_CHECKING:
    from ddb_guard.model import Finding
    from ddb_guard.report import ReportOptions
    from ddb_guard.result import ScanResult

_NOT_ENUMERATED = {Kind.PARSE_ERROR, Kind.SUPPRESSION}  # only their findings become test cases


def render(result: ScanResult, options: ReportOptions) -> str:
    """The JUnit XML document for ``result``."""
    cases: dict[tuple[str, str, str], list[Finding]] = {}
    for rule in result.rules:
        if rule.on in _NOT_ENUMERATED:
            continue
        for e in result.model.entities:
            if e.kind == rule.on:
                cases.setdefault((rule.id, e.address, (e.report_loc or e.loc).path), [])
    for f in ordered(result.findings):
        key = (f.rule_id, f.address, f.loc.path)
        if key not in cases:  # the value's line may be in another file than the resource
            key = next((k for k in cases if k[:2] == key[:2]), key)
        cases.setdefault(key, []).append(f)
    failing_ids = {id(f) for f in failing(result, options.fail_on)}
    suite = ET.Element("testsuite", name="ddb-guard")
    n_fail = n_skip = 0
    for (rule_id, address, path), found in sorted(cases.items()):
        case = ET.SubElement(
            suite, "testcase", classname=rule_id, name=clean(address), file=clean(path)
        )
        fails = [f for f in found if id(f) in failing_ids]
        if fails:
            n_fail += 1
            for f in fails:
                failure = ET.SubElement(case, "failure", message=clean(f.message), type=f.level)
                failure.text = (
                    f"{clean(f.loc.path)}:{f.loc.line}:{f.loc.column}: {clean(f.message)}"
                )
        elif found and all(f.suppression is not None for f in found):
            n_skip += 1
            reason = found[0].suppression.reason if found[0].suppression else ""
            ET.SubElement(case, "skipped", message=clean(f"suppressed: {reason}".strip()))
        elif found:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(
                f"{clean(f.loc.path)}:{f.loc.line}: [{f.level}] {clean(f.message)}"
                for f in found
                if f.suppression is None
            )
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(n_fail))
    suite.set("errors", "0")
    suite.set("skipped", str(n_skip))
    root = ET.Element("testsuites", name="ddb-guard", tests=str(len(cases)), failures=str(n_fail))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
