"""Terraform addresses, parsed in one place: ``module.a["k"].module.b.aws_dynamodb_table.t[0]``
is a module path, a resource type and name and an instance key; a reference
(``aws_backup_plan.p.arn``) or a nested entity (``aws_backup_plan.p.rule[0]``) continues
after the resource.

Keys are kept as written (``[0]``, ``["a.b]"]``): a quoted key may hold dots, brackets and
escaped quotes, so an address is never split with a regular expression. Every stage (the
HCL and plan front-ends, the model, the pipeline, enrichment) reads addresses through this
module, which imports nothing of ddb_guard.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Step:
    """One dot-separated step: a name and the instance key after it, as written
    (``""``, ``"[0]"``, ``'["a.b]"]'``)."""

    name: str
    key: str = ""

    def __str__(self) -> str:
        return self.name + self.key


def steps(text: str) -> list[Step]:
    """The steps of an address or reference; dots and brackets inside keys do not count."""
    out: list[Step] = []
    start = 0
    key_at = -1  # where the current step's key starts
    depth = 0
    quoted = False
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if quoted:
            if c == "\\":
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            quoted = True
        elif c == "[":
            if depth == 0 and key_at < 0:
                key_at = i
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == "." and depth == 0:
            out.append(_step(text, start, key_at, i))
            start, key_at = i + 1, -1
        i += 1
    out.append(_step(text, start, key_at, n))
    return out


def _step(text: str, start: int, key_at: int, end: int) -> Step:
    if key_at < 0:
        return Step(text[start:end])
    return Step(text[start:key_at], text[key_at:end])


def key_text(key: int | str) -> str:
    """An instance key as Terraform writes it in an address: ``[0]`` or ``["name"]``."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"[{key}]"
    return '["' + str(key).replace('"', '\\"') + '"]'


def without_keys(text: str) -> str:
    """``module.m["a"].aws_x.t[0]`` -> ``module.m.aws_x.t`` (every instance key dropped)."""
    return ".".join(s.name for s in steps(text))


_NOT_RESOURCES = frozenset(("each", "count", "self"))


@dataclass(frozen=True, slots=True)
class Address:
    """A resource address, or a reference or nested entity that starts with one."""

    modules: tuple[Step, ...]  # module calls, outermost first
    type: str
    name: str
    key: str = ""  # the resource's instance key as written, or ""
    data: bool = False  # a data source (``data.aws_x.y``)
    rest: tuple[Step, ...] = ()  # after the resource: attribute path, nested block

    @classmethod
    def parse(cls, text: str) -> Address | None:
        """The address ``text`` starts with; ``None`` when it names no resource
        (``var.x``, ``local.y``, ``each.value``, a module output ``module.m.out``)."""
        parts = steps(text)
        i = 0
        while i + 1 < len(parts) and parts[i].name == "module" and not parts[i].key:
            i += 2
        modules, tail = tuple(parts[1:i:2]), parts[i:]
        if len(tail) >= 3 and str(tail[0]) == "data":
            return cls(modules, str(tail[1]), tail[2].name, tail[2].key, True, tuple(tail[3:]))
        head = str(tail[0]) if tail else ""
        if len(tail) >= 2 and "_" in head and head not in _NOT_RESOURCES:
            return cls(modules, head, tail[1].name, tail[1].key, False, tuple(tail[2:]))
        return None

    @property
    def module_prefix(self) -> str:
        """``module.a["k"].module.b.`` (keys kept); ``""`` at the root."""
        return "".join(f"module.{m}." for m in self.modules)

    @property
    def module_names(self) -> tuple[str, ...]:
        """The module path without keys: ``("a", "b")``."""
        return tuple(m.name for m in self.modules)

    @property
    def resource(self) -> str:
        """The resource this address names, with its keys: ``module.m.aws_x.y["k"]``."""
        mode = "data." if self.data else ""
        return f"{self.module_prefix}{mode}{self.type}.{self.name}{self.key}"

    def __str__(self) -> str:
        return ".".join((self.resource, *map(str, self.rest)))
