"""The closed vocabularies that cross stages, as string enums (a leaf: imports nothing of
ddb_guard).

Each member *is* its string (``Level.ERROR == "error"``), so rule files, config, JSON,
SARIF and text output keep the plain values; code compares and produces members instead of
literals, and an unknown value fails where it enters (``Level("fatal")`` raises).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import Enum


class CompatStrEnum(str, Enum):
    """``enum.StrEnum`` (Python 3.11) for 3.10: ``str()`` and ``format()`` give the value, so
    text, JSON and SARIF output are the same bytes on every version."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(str.__str__(self), spec)


if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - Python 3.10
    StrEnum = CompatStrEnum


class Level(StrEnum):
    """The level of a rule, a finding or a notice (SARIF ``level``), most severe first."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """0 for error, 1 for warning, 2 for note: lower is more severe."""
        return LEVELS.index(self)


# Membership tests use these tuples: ``"x" in Level`` raises TypeError before Python 3.12.
LEVELS: tuple[Level, ...] = tuple(Level)

# ``fail-on`` / ``--fail-on``: the lowest level that fails the gate, or never. Plain strings:
# ``click.Choice`` matches an Enum member by its *name* (click >= 8.2).
NEVER = "never"
FAIL_ON: tuple[str, ...] = (*(level.value for level in Level), NEVER)


class Outcome(StrEnum):
    """Three-valued outcome of a rule on an entity; findings are ``FAIL`` or ``UNKNOWN``."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Kind(StrEnum):
    """Entity kinds. The values are what rule files name in ``condition.kind``."""

    TABLE = "table"
    REPLICA = "replica"
    BACKUP_PLAN = "backup_plan"
    BACKUP_RULE = "backup_rule"
    BACKUP_SELECTION = "backup_selection"
    BACKUP_VAULT = "backup_vault"
    BACKUP_REGION_SETTINGS = "backup_region_settings"
    # A file (or part of one) ddb-guard could not read: built from parse-error notices at
    # level error, so a rule (PARSE001) fails the gate on it like on any other finding.
    PARSE_ERROR = "parse_error"
    IAM_ROLE = "iam_role"
    IAM_POLICY = "iam_policy"
    IAM_ATTACHMENT = "iam_attachment"
    KMS_KEY = "kms_key"
    # Not a model entity: the engine makes one per in-source suppression for rules that
    # judge suppressions (a reason is required, the rule exists).
    SUPPRESSION = "suppression"


class Source(StrEnum):
    """The front-end an entity came from (``Entity.source``; rules read ``source``)."""

    TERRAFORM = "terraform"
    CLOUDFORMATION = "cloudformation"


class NoticeKind(StrEnum):
    """What a :class:`~ddb_guard.model.Notice` is about."""

    NOTICE = "notice"  # anything else the user must know
    PARSE_ERROR = "parse-error"  # a file ddb-guard could not read (at level error: PARSE001)
    SKIPPED = "skipped"  # a file that is not recognisably infrastructure code, not read
    INTERNAL_ERROR = "internal-error"  # a contained bug: the run exits 2
    # internal to the CloudFormation front-end: a template declared a supplied parameter
    # (removed before notices reach the user)
    CFN_PARAM_DECLARED = "cfn-param-declared"


class AdvancedBackup(StrEnum):
    """Whether AWS Backup advanced features for DynamoDB are on in a rule's region
    (``retained.advanced_backup``): read from ``backup_region_settings``, else assumed on."""

    ON = "on"
    OFF = "off"
    ASSUMED_ON = "assumed on"


class Frequency(StrEnum):
    """How often a backup schedule fires (``schedule_info.frequency``)."""

    HOURLY = "hourly"
    SUB_DAILY = "sub-daily"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"
    IRREGULAR = "irregular"
    ON_DEMAND = "on-demand"  # no schedule: a rule run by hand
    INVALID = "invalid"  # the expression does not parse or never fires

    @property
    def daily_or_more(self) -> bool:
        return self in (Frequency.HOURLY, Frequency.SUB_DAILY, Frequency.DAILY)


class PriceSource(StrEnum):
    """How a price was obtained (``cost.price_source``), weakest last."""

    EXACT = "exact"  # the region's own price-list figure
    DERIVED = "derived"  # derived from another price by a documented ratio, or assumed
    CONFIGURED = "configured"  # an override from the configuration

    @classmethod
    def weakest(cls, sources: Iterable[str]) -> PriceSource:
        """The weakest of ``sources`` (configured > derived > exact); exact when empty."""
        found = set(sources)
        return next((s for s in (cls.CONFIGURED, cls.DERIVED) if s in found), cls.EXACT)
