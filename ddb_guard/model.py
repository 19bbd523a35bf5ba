"""The normalized model every parser builds and every rule reads.

Everything a rule can see is an :class:`Entity` (a table, a replica, a backup rule, ...)
whose attributes are :class:`Value` objects. A value is either known (with the source
location that produced it) or **unknown** (with a human reason such as
"depends on var.pitr, which has no default"). Rules never guess: an unknown input makes
the outcome unknown, reported at level ``note``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ddb_guard.enums import Kind, Level, NoticeKind, Outcome, Source

_UNTIL_RE = re.compile(r"\s*until\s*=\s*(\S*)", re.IGNORECASE)

# Entity kinds (:class:`~ddb_guard.enums.Kind`); the names below are short aliases.
TABLE = Kind.TABLE
REPLICA = Kind.REPLICA
BACKUP_PLAN = Kind.BACKUP_PLAN
BACKUP_RULE = Kind.BACKUP_RULE
BACKUP_SELECTION = Kind.BACKUP_SELECTION
BACKUP_VAULT = Kind.BACKUP_VAULT
BACKUP_REGION_SETTINGS = Kind.BACKUP_REGION_SETTINGS
PARSE_ERROR = Kind.PARSE_ERROR
IAM_ROLE = Kind.IAM_ROLE
IAM_POLICY = Kind.IAM_POLICY
IAM_ATTACHMENT = Kind.IAM_ATTACHMENT
KMS_KEY = Kind.KMS_KEY
# Built by the engine from in-source suppressions (``rules/meta/SUP001``); not a resource.
SUPPRESSION = Kind.SUPPRESSION

# The kinds of model entities (every kind but the engine's SUPPRESSION), in order.
KINDS: tuple[Kind, ...] = tuple(k for k in Kind if k is not Kind.SUPPRESSION)

TERRAFORM = Source.TERRAFORM
CLOUDFORMATION = Source.CLOUDFORMATION


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A region of a scanned file. Lines and columns are 1-based; ``end_column`` is exclusive.

    ``path`` is the path as reported (relative to the scan root, POSIX separators).
    """

    path: str
    line: int = 1
    column: int = 1
    end_line: int = 0
    end_column: int = 0

    def __post_init__(self) -> None:
        if self.end_line < self.line:
            object.__setattr__(self, "end_line", self.line)
        if self.end_line == self.line and self.end_column <= self.column:
            object.__setattr__(self, "end_column", self.column + 1)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Value:
    """A model value: known (``value``) or unknown (``unknown`` holds the reason).

    ``loc`` is where the value was written (the attribute), ``None`` when it comes from a
    default because the attribute is absent (then ``default`` is True). ``trace`` lists the
    locations that decided the value (the variable default, the local, the tfvars line, the
    module argument), outermost last; reporters show them as related locations.
    ``refs`` names the resource attributes an unknown value comes from
    (``aws_dynamodb_table.orders.arn``; CloudFormation ``Orders.Arn`` for ``!GetAtt`` and
    ``Orders`` for ``!Ref``), so later stages can match references without the value.

    Containers: a known list/dict Value holds plain Python; an element that is not known
    is itself an unknown ``Value`` inside the container (partially known collection).

    ``pieces``: an unknown string built from literal text and unknown parts (a Terraform
    template ``"arn:aws:ec2:${var.region}:..."``, CloudFormation ``Fn::Sub``) keeps what is
    known: its pieces in order, a ``str`` for literal text and ``None`` for each unknown
    part. Empty when nothing of the string is known.
    """

    value: Any = None
    loc: Location | None = None
    unknown: str | None = None
    default: bool = False
    trace: tuple[Location, ...] = ()
    refs: tuple[str, ...] = ()
    pieces: tuple[str | None, ...] = ()

    @property
    def known(self) -> bool:
        return self.unknown is None

    @classmethod
    def of(
        cls, value: Any, loc: Location | None = None, *, trace: tuple[Location, ...] = ()
    ) -> Value:
        return cls(value=value, loc=loc, trace=trace)

    @classmethod
    def absent(cls, default: Any = None) -> Value:
        """The attribute is not written; ``default`` is what AWS/the provider uses."""
        return cls(value=default, default=True)

    @classmethod
    def unknown_because(
        cls,
        reason: str,
        loc: Location | None = None,
        *,
        trace: tuple[Location, ...] = (),
        refs: tuple[str, ...] = (),
        pieces: tuple[str | None, ...] = (),
    ) -> Value:
        return cls(value=None, loc=loc, unknown=reason, trace=trace, refs=refs, pieces=pieces)

    def __repr__(self) -> str:  # compact, used in test failure output
        if self.unknown is not None:
            return f"Value(unknown={self.unknown!r})"
        return f"Value({self.value!r}{', default' if self.default else ''})"


@dataclass(frozen=True, slots=True)
class PartialDocument:
    """What is known of a value that is unknown as a whole: Terraform's ``jsonencode()`` of
    an object with an element known only after apply. An unknown :class:`Value` may hold one
    as its ``value`` (rules still see null); ``data`` is plain Python with unknown Values
    inside, so IAM policy evaluation can read the statements that are known."""

    data: Any


def join_pieces(pieces: list[str | None]) -> tuple[str | None, ...]:
    """Adjacent literal pieces joined, empty ones dropped, runs of unknowns as one ``None``."""
    out: list[str | None] = []
    for p in pieces:
        if p == "":
            continue
        if out and (p is None) == (out[-1] is None):
            if p is not None:
                out[-1] = str(out[-1]) + p
            continue
        out.append(p)
    return tuple(out)


@dataclass(slots=True)
class Suppression:
    """An in-source ignore: ``# ddb-guard:ignore DDB001 reason`` or CloudFormation Metadata.

    ``until`` is an expiry date (``ddb-guard:ignore DDB001 until=2027-03-31 reason``, or
    ``until:`` in Metadata), ISO ``YYYY-MM-DD`` text as written; a leading ``until=`` in the
    reason is moved here, so the reason is the rest."""

    rule: str
    reason: str
    loc: Location
    until: str = ""

    def __post_init__(self) -> None:
        m = _UNTIL_RE.match(self.reason)
        if m and not self.until:
            self.until = m.group(1)
            self.reason = self.reason[m.end() :].strip().lstrip(":-,").strip()


@dataclass(slots=True)
class Entity:
    """One thing rules are evaluated on.

    ``address`` is the logical name shown to users and used in SARIF ``logicalLocations``
    and fingerprints: a Terraform address (``module.users.aws_dynamodb_table.this``,
    ``aws_dynamodb_table.g.replica[eu-west-1]``) or a CloudFormation logical id
    (``CatalogGlobal.Replicas[eu-west-1]``). ``loc`` is the resource (or block) header.
    ``attrs`` maps attribute names (see :mod:`ddb_guard.entity_spec`) to :class:`Value`, or to
    lists/dicts of Values for structured attributes. Enrichment adds more attributes.

    ``scope`` is the namespace the address lives in: for CloudFormation the template's
    path (logical ids, ``Ref`` and ``GetAtt`` are per template), empty for Terraform.
    ``identity`` (scope + address) tells two entities apart across templates; ``address``
    stays what users see. ``parent`` is an address in the same scope.
    ``account`` names the AWS account the entity is deployed to: ``""`` (one scan is one
    account) unless ``[tool.ddb-guard.accounts]`` or a CDK manifest says otherwise; backup
    selections reach only tables of their own account.

    ``exists`` is ``None`` when the entity exists, else an unknown :class:`Value` whose reason
    says what its existence depends on (``for_each depends on var.regions, ...``): whether it
    is created is a different question from what it is, so its attributes are still judged
    and failures are reported at the rule's level "when created".
    """

    kind: Kind
    address: str
    resource_type: str
    source: Source | str  # "" for a parse_error entity (no front-end read it)
    loc: Location
    attrs: dict[str, Any] = field(default_factory=dict)
    display_name: str = ""  # e.g. the CDK construct path "Stack/SessionsTable"
    parent: str = ""  # address of the owning entity (table of a replica, plan of a rule)
    suppressions: list[Suppression] = field(default_factory=list)
    related: list[tuple[Location, str]] = field(default_factory=list)  # (location, what it is)
    report_loc: Location | None = None  # where findings go if not at loc (outermost module call)
    scope: str = ""  # CloudFormation: the template path; "" for Terraform
    account: str = ""  # AWS account ("" = the scan's one account; see ddb_guard.accounts)
    via: str = ""  # nested stack it was deployed through ("parent.yaml#Stack"), else ""
    exists: Value | None = None  # None: exists; unknown Value: created only for some inputs

    def __post_init__(self) -> None:
        self.kind = Kind(self.kind)
        if self.source:  # a parse_error entity has no front-end: ""
            self.source = Source(self.source)

    @property
    def identity(self) -> str:
        """Unique within a scan: ``template.yaml#Orders`` (CloudFormation) or the address."""
        return identity(self.scope, self.address)

    @property
    def parent_identity(self) -> str:
        """The identity of the owning entity (``""`` when there is none)."""
        return identity(self.scope, self.parent) if self.parent else ""

    def get(self, name: str) -> Any:
        return self.attrs.get(name)


def identity(scope: str, address: str) -> str:
    """The identity of the entity at ``address`` in ``scope`` (see :class:`Entity`)."""
    return f"{scope}#{address}" if scope else address


INTERNAL_ERROR = NoticeKind.INTERNAL_ERROR  # Notice.kind of a contained bug: the run exits 2


def contain(model: Model, entity: Entity, exc: Exception, attrs: tuple[str, ...]) -> None:
    """An unexpected exception while enriching ``entity``: its ``attrs`` become unknown and
    a notice says so; every other entity goes on (``DDB_GUARD_DEBUG=1`` re-raises)."""
    import os

    if os.environ.get("DDB_GUARD_DEBUG", "") not in ("", "0"):
        raise exc
    what = f"internal error ({type(exc).__name__}: {exc})"
    for name in attrs:
        entity.attrs[name] = Value.unknown_because(what)
    model.notices.append(
        Notice(
            entity.loc.path if entity.loc else "",
            f"{entity.address}: {what}; its outcome is unknown; please report this",
            line=entity.loc.line if entity.loc else 0,
            level=Level.ERROR,
            kind=INTERNAL_ERROR,
        )
    )


@dataclass(frozen=True, slots=True, order=True)
class Notice:
    """Something the user must know that is not a rule finding: a file that did not parse,
    a skipped file, a module source that does not exist. ``level`` and ``kind`` are
    converted to :class:`~ddb_guard.enums.Level` and :class:`~ddb_guard.enums.NoticeKind`
    (an unknown value raises)."""

    path: str
    message: str
    line: int = 0
    column: int = 0
    level: Level = Level.WARNING
    kind: NoticeKind = NoticeKind.NOTICE

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level(self.level))
        object.__setattr__(self, "kind", NoticeKind(self.kind))

    def __str__(self) -> str:
        where = (
            self.path
            + (f":{self.line}" if self.line else "")
            + (f":{self.column}" if self.line and self.column else "")
        )
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Model:
    """Everything the parse/model stages produced for one scan."""

    entities: list[Entity] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file read, as reported
    report_paths: set[str] | None = None  # when set, only findings in these files are reported
    report_dirs: set[str] = field(default_factory=set)  # ... or in these directories (modules)

    def of_kind(self, kind: Kind) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]

    def extend(self, other: Model) -> None:
        self.entities.extend(other.entities)
        self.notices.extend(other.notices)
        self.files.extend(other.files)


@dataclass(slots=True)
class Finding:
    """One rule outcome that is reported (fail or unknown)."""

    rule_id: str
    level: Level
    message: str
    loc: Location  # primary location (attribute, else resource header)
    address: str  # logical location (Terraform address / CloudFormation logical id)
    kind: Kind  # entity kind
    outcome: Outcome  # FAIL or UNKNOWN
    related: list[tuple[Location, str]] = field(default_factory=list)
    suppression: Suppression | None = None
    properties: dict[str, Any] = field(default_factory=dict)  # SARIF result properties
    fingerprint: str = ""

    def __post_init__(self) -> None:
        self.level = Level(self.level)
        self.kind = Kind(self.kind)
        self.outcome = Outcome(self.outcome)

    def sort_key(self) -> tuple:
        return (self.loc.path, self.loc.line, self.loc.column, self.rule_id, self.address)


def customer_managed_key(key: Value | None, enabled: Value) -> Value:
    """A table's customer-managed KMS key as both front-ends read it: the written key when
    server-side encryption with it is enabled, else ``absent(None)`` (an AWS-owned or
    AWS-managed key); unknown while ``enabled`` is."""
    if key is None or (key.known and not key.value):
        return Value.absent(None)
    if not enabled.known:
        return enabled
    return key if enabled.value is True else Value.absent(None)
