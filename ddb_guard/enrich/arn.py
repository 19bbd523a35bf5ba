"""The ``resources`` / ``not_resources`` elements of a backup selection, classified once.

An element is ``*`` (everything), an ARN pattern (``*`` wildcards; ``${...}`` left by
``!Sub`` counts as ``*``), a reference (``aws_dynamodb_table.orders.arn``, CloudFormation
``Orders.Arn``/``Orders``), something that is not DynamoDB, or unknown.

A **partly known** string (``Value.pieces``: a Terraform template or ``Fn::Sub`` with
unknown parts) is an ARN pattern whose unknown parts may be anything within their ARN
field (partitions, services, regions and account ids contain no ``:``):
``arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/${Vm}`` is known not
to be DynamoDB, and ``arn:aws:dynamodb:us-east-1:1:table/${var.env}-orders`` reaches every
table whose name could end in ``-orders`` as *unknown* (three-valued, never a guess).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ddb_guard.enums import StrEnum
from ddb_guard.model import Entity, Value
from ddb_guard.terraform.address import steps

_SUB_RE = re.compile(r"\$\{[^}]*\}")
_HOLE = "\x00"  # an unknown part of a partly known string


@lru_cache(maxsize=4096)
def _glob_re(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(p) for p in pattern.split("*")), re.DOTALL)


def glob(pattern: str, text: str) -> bool:
    """AWS ARN wildcard match: ``*`` matches any run of characters."""
    return _glob_re(pattern).fullmatch(text) is not None


def literal_prefix(pattern: str) -> str:
    """The text every string matching ``pattern`` starts with."""
    return pattern.split("*", 1)[0]


def known_str(v: Any) -> str | None:
    if isinstance(v, Value):
        return v.value if v.known and isinstance(v.value, str) and v.value else None
    return v if isinstance(v, str) and v else None


def base_address(address: str) -> str:
    return re.sub(r"\[[^\]]*\]$", "", address)


class ResourceKind(StrEnum):
    """What a ``resources``/``not_resources`` element is (see :class:`Resource`)."""

    ALL = "all"  # ``*``
    ARN = "arn"  # an ARN pattern
    REF = "ref"  # a reference to scanned or other resources
    OTHER = "other"  # not DynamoDB
    UNKNOWN = "unknown"


class RefKind(StrEnum):
    """What a reference names (see :func:`ref_kind`)."""

    DYNAMODB = "dynamodb"  # a DynamoDB table, scanned or not
    OTHER = "other"  # another kind of resource
    UNKNOWN = "unknown"  # a variable, local, module output or a Ref that may be a parameter


@dataclass(slots=True)
class Resource:
    """One ``resources``/``not_resources`` element.

    ``kind``: ``all`` (``*``), ``arn`` (pattern), ``ref`` (reference to scanned/other
    resources), ``other`` (not DynamoDB), ``unknown``. For ``arn``: ``dynamodb`` says
    whether the service is DynamoDB (None: an unknown part decides), ``region`` is the
    region field (None when unknown parts come before it), ``resource`` the resource field
    (``*`` for each unknown part), ``exact`` False for a partly known string, whose
    matches are unknown; ``refs`` the references its unknown parts come from.
    """

    kind: ResourceKind
    text: str = ""
    dynamodb: bool | None = False  # does it name DynamoDB at all
    refs: tuple[str, ...] = ()
    reason: str = ""
    region: str | None = "*"
    resource: str = "*"
    exact: bool = True


def classify(elem: Any) -> Resource:
    if isinstance(elem, Value) and not elem.known:
        partial = _partial(elem) if elem.pieces else None
        if partial is not None:
            return partial
        if elem.refs:
            return Resource(ResourceKind.REF, refs=elem.refs, reason=elem.unknown or "")
        return Resource(ResourceKind.UNKNOWN, reason=elem.unknown or "unresolved value")
    text = known_str(elem)
    if text is None:
        refs = elem.refs if isinstance(elem, Value) else ()
        if refs:
            return Resource(ResourceKind.REF, refs=refs)
        return Resource(ResourceKind.UNKNOWN, reason=f"resource {elem!r} is not a string")
    text = _SUB_RE.sub("*", text.strip())
    if text == "*":
        return Resource(ResourceKind.ALL, text, dynamodb=True)
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        if len(parts) < 6:
            return Resource(ResourceKind.OTHER, text)
        return Resource(
            ResourceKind.ARN,
            text,
            dynamodb=glob(parts[2], "dynamodb"),
            region=parts[3],
            resource=parts[5],
        )
    return Resource(ResourceKind.OTHER, text, reason=f"{text!r} is not an ARN")


def _partial(elem: Value) -> Resource | None:
    """A partly known string as an ARN pattern; None when too little of it is known."""
    text = "".join(_HOLE if p is None else p for p in elem.pieces)
    text = _SUB_RE.sub("*", text.strip())
    reason = elem.unknown or ""
    if not text.startswith("arn:"):
        lead = text.split(_HOLE, 1)[0]
        if lead and "*" not in lead and not "arn:".startswith(lead):
            return Resource(ResourceKind.OTHER, text, reason=f"{text!r} is not an ARN")
        return None
    fields = text.split(":", 5)
    if len(fields) < 4:  # the service field is not there: an unknown part may hold it
        return None
    service = fields[2].replace(_HOLE, "*")
    dynamodb: bool | None = glob(service, "dynamodb")
    if dynamodb and _HOLE in fields[2]:
        dynamodb = None
    if dynamodb is False:
        return Resource(
            ResourceKind.OTHER, text.replace(_HOLE, "*"), reason=f"{service} is not DynamoDB"
        )
    region = fields[3].replace(_HOLE, "*") if len(fields) > 4 else None
    resource = fields[5].replace(_HOLE, "*") if len(fields) == 6 else "*"
    return Resource(
        ResourceKind.ARN,
        text.replace(_HOLE, "*"),
        dynamodb=dynamodb,
        refs=elem.refs,
        reason=reason,
        region=region,
        resource=resource,
        exact=False,
    )


def ref_matches(ref: str, table: Entity, scope: str) -> bool:
    """Whether reference ``ref``, written in ``scope``, names ``table`` (Terraform address
    or CloudFormation logical id; a CloudFormation reference names only its own template's
    resources)."""
    if table.scope != scope:
        return False
    for address in {table.address, base_address(table.address)}:
        if ref == address or ref.startswith(address + ".") or ref.startswith(address + "["):
            return True
    return False


def ref_keys(ref: str) -> list[str]:
    """The addresses ``ref`` can name (see :func:`ref_matches`): itself and each prefix
    ending before a ``.`` or ``[``."""
    return [ref] + [ref[:i] for i, c in enumerate(ref) if c in ".["]


_TF_UNKNOWABLE = ("var", "local", "each", "count", "path", "terraform", "self")


def ref_kind(ref: str) -> RefKind:
    """``dynamodb`` (a DynamoDB table, scanned or not), ``other`` (another kind of resource)
    or ``unknown`` (a variable, local, module output or CloudFormation ``Ref`` that may be a
    parameter holding an ARN)."""
    parts = [str(s) for s in steps(ref)]  # a key may hold dots: module.m["a.b"]
    i = 0
    while i + 1 < len(parts) and parts[i] == "module":
        i += 2
    if i < len(parts) and parts[i] == "data":
        i += 1
    if i < len(parts) and parts[i].startswith("aws_"):
        return RefKind.DYNAMODB if parts[i].startswith("aws_dynamodb_table") else RefKind.OTHER
    if i > 0 or parts[0] in _TF_UNKNOWABLE:
        return RefKind.UNKNOWN
    # CloudFormation: "X.Arn" is !GetAtt of a template resource (not a scanned table, or it
    # would have matched); "X" is !Ref, which may be a parameter
    return RefKind.OTHER if len(parts) > 1 else RefKind.UNKNOWN


def resource_matches(
    res: Resource, table: Entity, scope: str, names: list[str], region: str | None
) -> bool | None:
    """Whether ``res``, written in ``scope``, selects ``table`` (whose known names and region
    are given)."""
    if res.kind == ResourceKind.ALL:
        return True
    if res.kind == ResourceKind.OTHER:
        return False
    if res.kind == ResourceKind.UNKNOWN:
        return None
    if res.kind == ResourceKind.REF:
        if any(ref_matches(r, table, scope) for r in res.refs):
            return True
        return None if any(ref_kind(r) == RefKind.UNKNOWN for r in res.refs) else False
    # arn pattern
    if res.refs and any(ref_matches(r, table, scope) for r in res.refs):
        return True
    if res.dynamodb is False:
        return False
    if region is not None and res.region is not None and not glob(res.region, region):
        return False
    if not names:
        return None
    if not any(glob(res.resource, f"table/{n}") for n in names):
        return False
    return True if res.exact and res.dynamodb else None


def names_dynamodb(res: Resource) -> bool | None:
    """Whether the element names DynamoDB at all (including tables outside the scan)."""
    if res.kind in (ResourceKind.ALL, ResourceKind.ARN):
        return res.dynamodb
    if res.kind == ResourceKind.REF:
        kinds = {ref_kind(r) for r in res.refs}
        return True if RefKind.DYNAMODB in kinds else (None if RefKind.UNKNOWN in kinds else False)
    if res.kind == ResourceKind.UNKNOWN:
        return None
    return False


def excludes_all_dynamodb(res: Resource) -> bool:
    if res.kind == ResourceKind.ALL:
        return True
    if res.kind == ResourceKind.ARN and res.dynamodb and res.exact:
        resource = res.resource
        return res.region == "*" and resource.startswith("table/*") and glob(resource, "table/*")
    return False
