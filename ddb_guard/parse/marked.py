"""Containers that know where they were written: :class:`MarkedMap` (a ``dict``) and
:class:`MarkedList` (a ``list``), the data both loaders build. Positions live in a side table
on each container, so every value has a location::

    m.span()            # the container itself
    m.key_span("Type")  # the key
    m.value_span("Type")  # the value (for a list: lst.value_span(0))

A span is ``(line, column, end_line, end_column)``: 1-based, end column exclusive.
"""

from __future__ import annotations

from typing import Any

Span = tuple[int, int, int, int]


class MarkedMap(dict):
    """A mapping that knows where it and each of its keys and values were written."""

    __slots__ = ("_pos", "_span")

    def span(self) -> Span | None:
        """Where the whole mapping is written."""
        return getattr(self, "_span", None)

    def key_span(self, key: Any) -> Span | None:
        """Where ``key`` is written (None if the key is not in this mapping)."""
        pos = self._positions().get(key)
        return pos[0] if pos else None

    def value_span(self, key: Any) -> Span | None:
        """Where the value of ``key`` is written (None if the key is not here)."""
        pos = self._positions().get(key)
        return pos[1] if pos else None

    def _positions(self) -> dict[Any, tuple[Span, Span]]:
        return getattr(self, "_pos", None) or {}


class MarkedList(list):
    """A sequence that knows where it and each of its items were written."""

    __slots__ = ("_items", "_span")

    def span(self) -> Span | None:
        return getattr(self, "_span", None)

    def value_span(self, index: int) -> Span | None:
        """Where item ``index`` is written."""
        items = self._item_spans()
        try:
            return items[index]
        except (IndexError, TypeError):
            return None

    def _item_spans(self) -> list[Span]:
        return getattr(self, "_items", None) or []


def span_of(obj: Any) -> Span | None:
    """The span of a container from either loader (None for scalars/plain containers)."""
    return obj.span() if isinstance(obj, (MarkedMap, MarkedList)) else None


def value_span(container: Any, key: Any) -> Span | None:
    """Span of ``container[key]``; for mappings falls back to the key when needed."""
    if isinstance(container, MarkedMap):
        return container.value_span(key) or container.key_span(key)
    if isinstance(container, MarkedList):
        return container.value_span(key)
    return None


def key_span(container: Any, key: Any) -> Span | None:
    return container.key_span(key) if isinstance(container, MarkedMap) else None
