"""One evaluation budget per module instance: a few kilobytes of HCL must not hang the gate
or exhaust the runner (nested ``for`` over big lists, doubling strings, squaring integers,
``format("%1000000000s")``, nested ``dynamic`` blocks).

Every expression node evaluated is an operation; every collection, string and integer
built is charged. When a limit is reached, :class:`BudgetError` (an ``EvalError``) makes
the value being built **unknown** with the reason ``exceeds the evaluation budget``, the
remaining values of that module instance follow, and the scan goes on.
"""

from __future__ import annotations

from typing import Any

from ddb_guard.terraform.functions import EvalError

OVER_BUDGET = "exceeds the evaluation budget"
MAX_OPS = 300_000  # expression nodes evaluated per module instance
MAX_ELEMENTS = 200_000  # list/map elements built per module instance
MAX_CHARS = 8 << 20  # characters of strings built per module instance
MAX_STRING = 1 << 20  # characters of one string
MAX_INT_BITS = 4096  # size of one integer


class BudgetError(EvalError):
    """The evaluation budget of a module instance is spent."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} {OVER_BUDGET}")


class Budget:
    """Counters of one module instance (or of one expression evaluated on its own)."""

    __slots__ = ("chars", "elements", "ops")

    def __init__(self) -> None:
        self.ops = 0
        self.elements = 0
        self.chars = 0

    def op(self, n: int = 1) -> None:
        self.ops += n
        if self.ops > MAX_OPS:
            raise BudgetError(f"the module's evaluation ({MAX_OPS:,} operations)")

    def charge(self, value: Any) -> Any:
        """Count a value just built; returns it."""
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise BudgetError(f"a string of {len(value):,} characters")
            self.chars += len(value)
            if self.chars > MAX_CHARS:
                raise BudgetError("the strings built in this module")
        elif isinstance(value, (list, dict)):
            self.elements += len(value)
            if self.elements > MAX_ELEMENTS:
                raise BudgetError("the collections built in this module")
        elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise BudgetError(f"an integer of {value.bit_length():,} bits")
        return value
