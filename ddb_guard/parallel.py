"""Use the second core on large scans: a forked worker parses part of the inputs while
the main process parses the rest; its results come back pickled through a pipe.

Only where ``os.fork`` exists and the scan is large (forking costs a few milliseconds;
pickling the entities back costs about 50 µs each). ``DDB_GUARD_JOBS=1`` turns it off.
Any failure in the worker falls back to doing the work in the main process: the result
never depends on whether the worker ran.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
MIN_FILES = 64  # below this a worker costs more than it saves


def enabled(n_files: int) -> bool:
    if not hasattr(os, "fork") or os.environ.get("DDB_GUARD_JOBS") == "1":
        return False
    return n_files >= MIN_FILES and (os.cpu_count() or 1) > 1


class Worker:
    """Run ``job()`` in a forked child; :meth:`result` returns its value (or runs ``job``
    here if the child failed)."""

    def __init__(self, job: Callable[[], Any]) -> None:
        self._job = job
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the job, send the pickled result, leave at once
            os.close(read)
            code = 0
            try:
                payload = pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                payload, code = b"", 1
            try:
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> Any:
        with os.fdopen(self._read, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        if os.waitstatus_to_exitcode(status) == 0 and payload:
            try:
                return pickle.loads(payload)
            except Exception:
                pass
        return self._job()
