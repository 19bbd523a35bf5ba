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
