#!/usr/bin/env python3
"""Benchmark ddb-guard as users run it: whole CLI processes, wall time and peak RSS.

    python scripts/benchmark.py [--runs 5] [--files 1000] [--keep DIR]
    python scripts/benchmark.py --scaling [--sizes 1000,2000,5000,10000] [--runs 3]

1. One .tf file and one template, as pre-commit passes them (median of --runs).
2. A generated tree of --files files (half Terraform of ~150 lines, half CloudFormation
   templates of ~75 lines, a few tables each): wall time and peak RSS of the process.
If checkov is on PATH it is run on the same inputs (only its DynamoDB PITR checks).
A command timed several times runs once untimed first; the figures are the median wall time and the
median CPU time (user + system): on shared cores CPU time is the steadier one.
Targets (issue #2): one file <= 0.3 s; 1,000 files <= 1.5 s and <= 150 MiB.

``--scaling`` instead generates a monorepo (scripts/bench_tree.py: 1-3 tables per file,
padding resources, a backup plan with a selection by tag, ARN or wildcard in every 5th
file) at each of ``--sizes`` and reports the median time, peak RSS and the time ratio to
the smallest size; with checkov, checkov runs on the trees of ``--checkov-sizes`` too.
Targets (issue #9): 10,000 files <= 20 s and <= 250 MiB; time(10k)/time(1k) <= 12.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TF_TABLE = """
resource "aws_dynamodb_table" "{name}" {{
  name         = "${{var.env}}-{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {{
    name = "pk"
    type = "S"
  }}

  attribute {{
    name = "sk"
    type = "S"
  }}

  point_in_time_recovery {{
    enabled = {pitr}
  }}

  deletion_protection_enabled = local.protect

  tags = merge(local.tags, {{ Table = "{name}" }})
}}
"""

TF_HEADER = """
variable "env" {
  type    = string
  default = "prod"
}

locals {
  protect = var.env == "prod"
  tags = {
    Team    = "payments"
    Service = "orders"
  }
}
"""

CFN_TABLE = """  {name}:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      TableName: !Sub "${{Env}}-{name}"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: {pitr}
      DeletionProtectionEnabled: !If [IsProd, true, false]
      Tags:
        - Key: Team
          Value: payments
"""

CFN_HEADER = """AWSTemplateFormatVersion: "2010-09-09"
Description: generated benchmark template
Parameters:
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
"""


def make_tree(root: Path, files: int) -> tuple[Path, Path]:
    """Write ``files`` files under ``root``; return one .tf and one template path."""
    half = files // 2
    for i in range(half):
        d = root / "terraform" / f"svc{i // 10:03d}"
        d.mkdir(parents=True, exist_ok=True)
        body = [TF_HEADER] if i % 10 == 0 else []
        body += [
            TF_TABLE.format(name=f"t{i}_{j}", pitr="true" if j % 2 else "false") for j in range(5)
        ]
        (d / f"tables{i % 10}.tf").write_text("".join(body))
    for i in range(files - half):
        d = root / "cloudformation" / f"stack{i // 20:03d}"
        d.mkdir(parents=True, exist_ok=True)
        body = CFN_HEADER + "".join(
            CFN_TABLE.format(name=f"Table{j}", pitr="true" if j % 2 else "false") for j in range(3)
        )
        (d / f"template{i % 20}.yaml").write_text(body)
    return (
        root / "terraform" / "svc000" / "tables1.tf",
        root / "cloudformation" / "stack000" / "template1.yaml",
    )


# As installed: a package installed by pip has its bytecode, so the children may write it
# (an environment with PYTHONDONTWRITEBYTECODE would compile every module on every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS (MiB), exit code and CPU seconds (user + system, with the
    process's workers) of one process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # 0 clean, 1 findings: anything else is a failed run
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-3:]
            print(f"  ! {cmd[0]} exited {code}: " + " | ".join(tail))
    return wall, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime


def measure(label: str, cmd: list[str], cwd: Path, runs: int) -> dict:
    """Median of ``runs`` runs, after one untimed run when there are several (bytecode and
    ddb-guard's data cache warm, as on a developer's machine from the second commit on)."""
    if runs > 1:
        run(cmd, cwd)
    results = [run(cmd, cwd) for _ in range(runs)]
    walls = [r[0] for r in results]
    row = {
        "label": label,
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "peak_rss_mib": max(r[1] for r in results),
        "exit": results[-1][2],
        "cpu_s": statistics.median(r[3] for r in results),
    }
    print(
        f"{label:<48} median {row['median_s']:.3f} s  min {row['min_s']:.3f} s  "
        f"CPU {row['cpu_s']:.2f} s  peak RSS {row['peak_rss_mib']:.0f} MiB  exit {row['exit']}"
    )
    return row


def load() -> str:
    """The machine's load averages, printed next to the figures (the cores may be shared)."""
    try:
        return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load unknown"


def scaling(guard: list[str], checkov: str | None, args: argparse.Namespace) -> int:
    """Time and peak RSS at each size of the generated monorepo, with the growth ratio."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_tree import write_tree

    sizes = [int(s) for s in args.sizes.split(",")]
    checkov_sizes = {int(s) for s in args.checkov_sizes.split(",") if s} if checkov else set()
    rows = []
    for n in sizes:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
        base = Path(tempfile.mkdtemp(prefix=f"ddb-guard-scale{n}-", dir=args.keep))
        tf_file, _ = write_tree(base, n)
        print(f"tree: {n} files under {base} ({os.cpu_count()} cores, {load()})")
        scan = [*guard, "scan", "--fail-on", "never"]
        row = measure(f"ddb-guard: {n} files", [*scan, "."], base, args.runs)
        if n == sizes[0]:
            one = measure(
                "ddb-guard: one .tf file",
                [*scan, str(tf_file.relative_to(base))],
                base,
                max(args.runs, 5),
            )
        if n in checkov_sizes:
            checks = "CKV_AWS_28,CKV_AWS_165"
            row["checkov"] = measure(
                f"checkov: {n} files", [checkov, "--quiet", "--check", checks, "-d", "."], base, 1
            )
            if n == sizes[0]:
                measure(
                    "checkov: one .tf file",
                    [checkov, "--quiet", "--check", checks, "-f", str(tf_file.relative_to(base))],
                    base,
                    max(args.runs, 5),
                )
        row["files"], row["load"] = n, load()
        rows.append(row)
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    first = rows[0]["median_s"]
    print(
        f"\n| files | time (median of {args.runs}) | CPU | peak RSS "
        f"| time / time({sizes[0]:,}) | checkov | load |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        ck = r.get("checkov")
        ck_text = f"{ck['median_s']:.1f} s, {ck['peak_rss_mib']:.0f} MiB" if ck else ""
        print(
            f"| {r['files']:,} | {r['median_s']:.2f} s | {r['cpu_s']:.1f} s "
            f"| {r['peak_rss_mib']:.0f} MiB | {r['median_s'] / first:.1f} | {ck_text} "
            f"| {r['load']} |"
        )
    print(
        f"| one .tf file | {one['median_s']:.3f} s | {one['cpu_s']:.2f} s "
        f"| {one['peak_rss_mib']:.0f} MiB | | | |"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="generate the tree here and keep it")
    parser.add_argument("--checkov", help="checkov executable to compare with (default: PATH)")
    parser.add_argument("--scaling", action="store_true", help="measure growth with size")
    parser.add_argument("--sizes", default="1000,2000,5000,10000")
    parser.add_argument("--checkov-sizes", default="1000", help="sizes checkov also runs on")
    parser.add_argument("--guard", help="ddb-guard command (default: the installed one)")
    args = parser.parse_args()
    # the console script installed next to this interpreter (not a shim on PATH)
    exe = Path(sys.executable).parent / "ddb-guard"
    guard = [str(exe)] if exe.exists() else [sys.executable, "-m", "ddb_guard"]
    if args.guard:
        guard = args.guard.split()
    if args.scaling:
        return scaling(guard, args.checkov or shutil.which("checkov"), args)
    base = args.keep or Path(tempfile.mkdtemp(prefix="ddb-guard-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    tf_file, cfn_file = make_tree(base, args.files)
    print(f"tree: {args.files} files under {base} ({sys.platform}, {os.cpu_count()} cores)")
    scan = [*guard, "scan", "--fail-on", "never"]
    measure(
        "ddb-guard: one .tf file (pre-commit)",
        [*scan, str(tf_file.relative_to(base))],
        base,
        args.runs,
    )
    measure(
        "ddb-guard: one template (pre-commit)",
        [*scan, str(cfn_file.relative_to(base))],
        base,
        args.runs,
    )
    measure(f"ddb-guard: tree of {args.files} files", [*scan, "."], base, args.runs)
    measure(
        f"ddb-guard: tree of {args.files} files, SARIF",
        [*scan, "--format", "sarif", "."],
        base,
        args.runs,
    )
    checkov = args.checkov or shutil.which("checkov")
    if checkov:
        checks = "CKV_AWS_28,CKV_AWS_165"
        measure(
            "checkov: one .tf file",
            [checkov, "--quiet", "--check", checks, "-f", str(tf_file.relative_to(base))],
            base,
            args.runs,
        )
        measure(
            f"checkov: tree of {args.files} files",
            [checkov, "--quiet", "--check", checks, "-d", "."],
            base,
            1,
        )
    else:
        print("checkov not installed: no side-by-side numbers (pip install checkov to add them)")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
