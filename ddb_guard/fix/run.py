"""Plan, verify and apply fixes: every edited file is re-parsed and re-scanned (in memory)
before anything is written; a file whose fix did not remove its finding, or that no longer
parses, is rolled back and reported."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ddb_guard.enums import Outcome as RuleOutcome
from ddb_guard.fix.edits import Edit, NotFixed, Unfixable, apply
from ddb_guard.fix.overlay import overlay
from ddb_guard.fix.plan import FIXABLE, Planner
from ddb_guard.model import Finding
from ddb_guard.result import ScanResult


@dataclass(slots=True)
class Outcome:
    """What a fix run did: the new texts (reported path -> text), the edits applied, the
    findings not fixed, and the scan of the fixed code."""

    before: ScanResult
    after: ScanResult
    originals: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    applied: list[Edit] = field(default_factory=list)
    not_fixed: list[NotFixed] = field(default_factory=list)


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.rule_id, f.address, f.loc.path)


def _broken(result: ScanResult, path: str) -> bool:
    return any(n.path == path for n in result.parse_errors)


def fix(scan, root: Path, unsafe: bool = False) -> Outcome:
    """``scan()`` runs the scan (it is called again under an overlay to verify); ``unsafe``
    lets the planner replace a deciding expression with the protected literal.

    A fix can reveal a finding (PITR turned on: now its window counts): the fixed texts are
    planned again, a few rounds at most, so that a second run changes nothing."""
    outcome = _once(scan, root, unsafe, {}, None)
    for _ in range(3):
        skipped = {(n.rule, n.address) for n in outcome.not_fixed}
        revealed = [
            f
            for f in outcome.after.active
            if f.rule_id in FIXABLE
            and f.outcome == RuleOutcome.FAIL
            and (f.rule_id, f.address) not in skipped
        ]
        if not outcome.texts or not revealed:
            break
        again = _once(scan, root, unsafe, outcome.texts, outcome.after)
        if not again.texts:
            break
        outcome = Outcome(
            before=outcome.before,
            after=again.after,
            originals={**again.originals, **outcome.originals},
            texts={**outcome.texts, **again.texts},
            applied=_unique([*outcome.applied, *_renumbered(again.applied, outcome)]),
            not_fixed=_unique_nf(
                [
                    *outcome.not_fixed,
                    *(n for n in again.not_fixed if (n.rule, n.address) not in skipped),
                ]
            ),
        )
    return outcome


def _once(
    scan, root: Path, unsafe: bool, base: dict[str, str], before: ScanResult | None
) -> Outcome:
    """One round: plan the fixes of ``before`` (the scan of ``base``, the texts fixed so
    far, over the files), apply and verify them."""
    if before is None:
        before = scan()
    params = {r.id: r.param_values for r in before.rules}
    planner = Planner(root, before.model.entities, unsafe=unsafe, params=params)
    planner.texts.update(base)
    plan = planner.plan(before.active)
    not_fixed = list(plan.not_fixed)
    pending = {path: list(pairs) for path, pairs in plan.edits.items()}
    texts: dict[str, str] = {}
    after = before

    def drop(pairs: list[tuple[Edit, Finding]], why: str, path: str) -> None:
        for f in {id(f): f for _, f in pairs}.values():
            not_fixed.append(
                NotFixed(f.loc.path, f.loc.line, f.rule_id, f.address, f"not fixed: {why}")
            )

    while True:
        texts = {}
        for path, pairs in list(pending.items()):
            try:
                texts[path] = apply(planner.texts[path], [e for e, _ in pairs])
            except Unfixable as exc:
                drop(pairs, str(exc), path)
                del pending[path]
        if not texts:
            after = before
            break
        with overlay({root / p: t for p, t in {**base, **texts}.items()}):
            after = scan()
        remaining = {_key(f) for f in after.active}
        changed = False
        for path, pairs in list(pending.items()):
            if _broken(after, path) and not _broken(before, path):
                drop(pairs, f"the edited file no longer parses (rolled back {path})", path)
                del pending[path]
                changed = True
                continue
            failed = [(e, f) for e, f in pairs if _key(f) in remaining]
            if failed:
                # keep the fixes that worked; a finding whose fix failed is reported
                drop(failed, f"the fix did not remove the finding (rolled back in {path})", path)
                gone = {id(f) for _, f in failed}
                pending[path] = [(e, f) for e, f in pairs if id(f) not in gone]
                if not pending[path]:
                    del pending[path]
                changed = True
        if not changed:
            break
    applied = [e for p in texts for e, _ in pending[p]]
    return Outcome(
        before=before,
        after=after,
        originals={p: planner.texts[p] for p in texts},
        texts=texts,
        applied=_unique(applied),
        not_fixed=_unique_nf(not_fixed),
    )


def _renumbered(edits: list[Edit], first: Outcome) -> list[Edit]:
    """``edits`` of the texts fixed by ``first``, with the line numbers of the originals."""
    out = []
    for e in edits:
        if e.path in first.texts:
            old = first.originals[e.path].split("\n")
            new = first.texts[e.path].split("\n")
            matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
            for a, b, size in matcher.get_matching_blocks():
                if b < e.line <= b + size:
                    e = replace(e, line=e.line - b + a)
                    break
        out.append(e)
    return out


def _unique(edits: list[Edit]) -> list[Edit]:
    seen: set[tuple] = set()
    out = []
    for e in sorted(edits, key=lambda e: (e.path, e.start, e.rule)):
        key = (e.path, e.start, e.end, e.new)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _unique_nf(items: list[NotFixed]) -> list[NotFixed]:
    return sorted(set(items), key=lambda n: (n.path, n.line, n.rule, n.address, n.reason))


def unified_diff(outcome: Outcome) -> str:
    """A unified diff of every edited file (``a/``/``b/`` + the path relative to the root)."""
    chunks: list[str] = []
    for path in sorted(outcome.texts):
        old, new = _lines(outcome.originals[path]), _lines(outcome.texts[path])
        chunks.append(f"--- a/{path}\n+++ b/{path}\n")
        # no autojunk: a template repeats lines (Type: AWS::DynamoDB::Table) that difflib's
        # heuristic would otherwise treat as noise, giving a diff wider than the edit
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for group in matcher.get_grouped_opcodes(3):
            a0, a1, b0, b1 = group[0][1], group[-1][2], group[0][3], group[-1][4]
            chunks.append(f"@@ -{_range(a0, a1)} +{_range(b0, b1)} @@\n")
            for tag, i1, i2, j1, j2 in group:
                if tag == "equal":
                    chunks.extend(_out(" ", old[i1:i2]))
                    continue
                chunks.extend(_out("-", old[i1:i2]))
                chunks.extend(_out("+", new[j1:j2]))
    return "".join(chunks)


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def _out(sign: str, lines: list[str]) -> list[str]:
    return [
        sign + line if line.endswith("\n") else f"{sign}{line}\n\\ No newline at end of file\n"
        for line in lines
    ]


def _lines(text: str) -> list[str]:
    """Lines with their endings (only ``\\n`` ends a line, as in the files)."""
    return [line for line in re.split("(?<=\n)", text) if line]


def write(outcome: Outcome, root: Path) -> None:
    """Write the fixed texts (bytes as built: line endings are those of the original)."""
    for path, text in outcome.texts.items():
        (root / path).write_bytes(text.encode("utf-8"))
