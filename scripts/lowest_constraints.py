"""Write a pip constraints file pinning every dependency to the lowest version
``pyproject.toml`` allows (its ``>=`` bounds), so CI can test that the bounds are true.

Usage: python scripts/lowest_constraints.py [--extra test ...] > constraints-lowest.txt

A requirement without a lower bound is left free (it has no "lowest"); ``==`` pins stay
pinned; environment markers are kept so the file installs on every Python we support.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*?)\s*(;.*)?$")


def lowest(requirement: str) -> str | None:
    """``"click>=8.1"`` -> ``"click==8.1"``; None when there is no lower bound."""
    match = _REQ.match(requirement)
    if not match:
        raise ValueError(f"cannot read requirement {requirement!r}")
    name, _extras, spec, marker = match.groups()
    pin = None
    for part in filter(None, (p.strip() for p in spec.split(","))):
        op, version = re.match(r"(==|>=|~=|<=|<|>|!=)\s*(\S+)", part).groups()
        if op in ("==", ">=", "~="):
            pin = version
    if pin is None:
        return None
    return f"{name}=={pin}{(' ' + marker) if marker else ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyproject", type=Path, default=Path("pyproject.toml"))
    parser.add_argument("--extra", action="append", default=[], help="optional extras too")
    args = parser.parse_args(argv)
    project = tomllib.loads(args.pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in args.extra:
        requirements += project.get("optional-dependencies", {}).get(extra, [])
    for requirement in requirements:
        pinned = lowest(requirement)
        if pinned:
            sys.stdout.write(pinned + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
