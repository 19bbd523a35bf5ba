"""`ddb-guard fix`: safe fixes applied as byte-range splices into the original text.

:mod:`.edits` holds the splice primitives, :mod:`.terraform` and :mod:`.yaml` the
per-front-end inserters, :mod:`.plan` turns findings into edits (or reasons they cannot be
fixed), and :mod:`ddb_guard.commands.fix` runs, verifies and reports.
"""
