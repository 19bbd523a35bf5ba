"""Shared by the hostile-input tests: run the CLI in a directory with a time limit."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from ddb_guard.cli import main

TABLE_TF = """resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"
}
"""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the body takes longer than ``seconds``."""

    def expired(signum, frame):  # pragma: no cover - only on failure
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_cli(where: Path, *args: str, seconds: int = 20):
    """``ddb-guard *args`` with ``where`` as the working directory."""
    old = os.getcwd()
    os.chdir(where)
    env = {"DDB_GUARD_DEBUG": ""}
    try:
        with time_limit(seconds):
            return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    finally:
        os.chdir(old)


def run_limited(code: str, seconds: int = 30, mb: int = 1024) -> tuple[str, int]:
    """Run ``code`` in a fresh Python with an address-space cap of ``mb`` MB and a time
    limit; returns its stdout and its peak resident memory in MB."""
    import resource
    import subprocess
    import sys

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))

    probe = (
        f"{code}\nimport resource as _r\n"
        "print('PEAK', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss // 1024)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=seconds,
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out, _, peak = done.stdout.rpartition("PEAK ")
    return out, int(peak)
