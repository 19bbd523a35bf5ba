"""Errors that end a run with exit code 2 (usage, configuration, rule files)."""

from __future__ import annotations


class FatalError(Exception):
    """A problem the user must fix before ddb-guard can run; printed without a traceback."""


class ConfigError(FatalError):
    """An invalid configuration file or option: names the file and key."""


class RuleError(FatalError):
    """An invalid rule file."""
