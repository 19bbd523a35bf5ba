"""Discover: turn command-line paths into the files each front-end reads.

Directories are walked (skipping VCS, tool caches and build output); a file named on the
command line is scanned whatever its name. Terraform is grouped by directory, because a
directory of ``.tf`` files is one module; a single ``.tf`` file (as pre-commit passes it)
brings its siblings along for context, but only the files named are reported.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.enums import Level, NoticeKind
from ddb_guard.errors import FatalError
from ddb_guard.model import Notice
from ddb_guard.parse.source import read_small

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".terraform",
        ".terragrunt-cache",  # Terragrunt's copies of the modules it runs
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".aws-sam",
        ".serverless",  # build output: copies of the templates next to them
    }
)
TERRAGRUNT_FILE = "terragrunt.hcl"
DATA_SUFFIXES = (".json", ".yaml", ".yml", ".template")


@dataclass(slots=True)
class Discovery:
    """What to read. ``terraform``: module directory -> files to report (None = all);
    ``terragrunt``: the ``terragrunt.hcl`` files (Terragrunt units or parent configs)."""

    terraform: dict[Path, set[Path] | None] = field(default_factory=dict)
    terragrunt: list[Path] = field(default_factory=list)
    data_files: list[tuple[Path, bool]] = field(default_factory=list)  # (path, named explicitly)
    notices: list[Notice] = field(default_factory=list)
    report_paths: set[str] | None = None
    report_dirs: set[str] = field(default_factory=set)  # local modules with a named file


def _is_tf(name: str) -> bool:
    return name.endswith(".tf") or name.endswith(".tf.json")


def _skip_dir(parent: str, name: str) -> bool:
    if name in SKIP_DIRS:
        return True
    # CDK asset staging directories hold copies of user code and bundles
    return name.startswith("asset.") and os.path.basename(parent) == "cdk.out"


def discover(paths: list[Path], ctx: ScanContext, config: Config) -> Discovery:
    found = Discovery()
    reported: set[str] = set()
    context_dirs: list[Path] = []
    only_dirs = True
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:  # a renamed directory must not turn CI green
        raise FatalError(f"no such file or directory: {', '.join(missing)}")
    for raw in paths:
        path = Path(raw)
        ctx.scan_roots.append(path if path.is_dir() else path.parent)
        if path.is_dir():
            _walk(path, ctx, config, found, reported)
            # a directory of fragments is judged with the service that includes them
            above = _services_above(path.resolve().parent, ctx) if _below_root(path, ctx) else []
            found.data_files.extend((s, False) for s in above)
            only_dirs = only_dirs and not above  # then report only what was scanned
            continue
        only_dirs = False
        if config.excludes(path, ctx.root):
            continue  # pre-commit names files: excluded ones stay out
        rel = ctx.rel(path)
        reported.add(rel)
        if path.name == TERRAGRUNT_FILE:
            found.terragrunt.append(path.resolve())
        elif _is_tf(path.name):
            directory = path.parent.resolve()
            current = found.terraform.get(directory, set())
            if current is not None:
                current.add(path.resolve())
                found.terraform[directory] = current
        elif path.name in CODE_SERVICE_FILES:
            found.notices.append(_code_service(path, ctx))
        elif is_context_file(path):
            # variable values and deploy parameters: what they change is in the directory
            context_dirs.append(path.parent)
        else:
            found.data_files.append((path, True))
            # a file a Serverless service includes is judged with its service
            if path.name not in SERVICE_FILES and path.name.endswith((".yml", ".yaml", ".json")):
                services = _services_above(path.resolve().parent, ctx)
                found.data_files.extend((s, False) for s in services)
    for directory in dict.fromkeys(context_dirs):
        _walk(directory, ctx, config, found, reported, recursive=False)
    named_modules = [
        d for d, files in found.terraform.items() if files is not None and not _is_root(d)
    ]
    if named_modules:
        # a changed file inside a local module: its callers' findings may change
        callers, units, called = module_callers(named_modules, ctx, config)
        for caller in callers:
            found.terraform.setdefault(caller, set())
        have = set(found.terragrunt)
        found.terragrunt.extend(sorted(u for u in units if u not in have))
        found.report_dirs = {"" if r == "." else r for r in map(ctx.rel, called)}
    found.report_paths = None if only_dirs else reported
    # a directory walked whole and also named file by file is reported whole
    named = {p for p, explicit in found.data_files if explicit}
    found.data_files = sorted(
        {(p, e) for p, e in found.data_files if e or p not in named}, key=lambda item: str(item[0])
    )
    return found


SERVICE_FILES = ("serverless.yml", "serverless.yaml", "serverless.json")
CODE_SERVICE_FILES = ("serverless.ts", "serverless.js", "serverless.mjs", "serverless.cjs")
MAX_SERVICE_LEVELS = 8


def _code_service(path: Path, ctx: ScanContext) -> Notice:
    """A service written as code is never run: say that its tables are not checked."""
    return Notice(
        ctx.rel(path),
        f"Serverless service written as code ({path.name}): ddb-guard does not run code, "
        "so its resources are not checked",
    )


def _below_root(path: Path, ctx: ScanContext) -> bool:
    return Path(ctx.root).resolve() in path.resolve().parents


def _services_above(directory: Path, ctx: ScanContext) -> list[Path]:
    """Serverless service files in ``directory`` and the directories above it, up to the
    scan root or the repository root: the scanned files may be their ``${file()}``
    includes."""
    root = Path(ctx.root).resolve()
    found: list[Path] = []
    for _ in range(MAX_SERVICE_LEVELS):
        found.extend(directory / name for name in SERVICE_FILES if (directory / name).is_file())
        if directory == root or (directory / ".git").exists() or directory.parent == directory:
            break
        directory = directory.parent
    return found


def _walk(
    root: Path,
    ctx: ScanContext,
    config: Config,
    found: Discovery,
    reported: set[str],
    recursive: bool = True,
) -> None:
    def unreadable(exc: OSError) -> None:
        where = ctx.rel(exc.filename) if exc.filename else ctx.rel(root)
        found.notices.append(
            Notice(
                where,
                f"cannot read directory: {exc.strerror or exc}; its files are not checked",
                level=Level.ERROR,
                kind=NoticeKind.PARSE_ERROR,
            )
        )

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if recursive
            and not _skip_dir(dirpath, d)
            and not config.excludes(os.path.join(dirpath, d), ctx.root)
        )
        has_tf = False
        for name in sorted(filenames):
            full = Path(dirpath, name)
            if config.excludes(full, ctx.root):
                continue
            if _is_tf(name):
                has_tf = True
                reported.add(ctx.rel(full))
            elif name == TERRAGRUNT_FILE:
                found.terragrunt.append(full.resolve())
                reported.add(ctx.rel(full))
            elif name.endswith(DATA_SUFFIXES):
                found.data_files.append((full, False))
                reported.add(ctx.rel(full))
            elif name in CODE_SERVICE_FILES and not any(n in filenames for n in SERVICE_FILES):
                found.notices.append(_code_service(full, ctx))
        if has_tf:
            found.terraform[Path(dirpath).resolve()] = None


# --------------------------------------------------------------------------- context files

SAMCONFIG_FILES = ("samconfig.toml", "samconfig.yaml", "samconfig.yml")


def is_context_file(path: Path) -> bool:
    """A file that holds inputs, not resources: Terraform variable files, SAM deploy
    configuration, CloudFormation parameter files (``[{"ParameterKey": ...}]`` or a
    template configuration ``{"Parameters": {...}}``). Named on the command line (as
    pre-commit does), each stands for its directory."""
    name = path.name
    if name.endswith((".tfvars", ".tfvars.json")) or name in SAMCONFIG_FILES:
        return True
    if not name.endswith(".json"):
        return False

    data = read_small(path) or b""
    if b'"ParameterKey"' in data:
        return True
    return b'"Parameters"' in data and b'"Resources"' not in data and b"AWSTemplate" not in data


# --------------------------------------------------------------------------- module callers

_BACKEND = re.compile(rb"^\s*backend\s+\"", re.MULTILINE)


def _is_root(directory: Path) -> bool:
    """Surely a root module, which nothing calls: ``terraform init`` ran here (a lock file)
    or it configures a backend. Saves the walk for callers on the common pre-commit path."""

    if (directory / ".terraform.lock.hcl").is_file():
        return True
    try:
        names = [p for p in directory.iterdir() if p.name.endswith(".tf")]
    except OSError:
        return False
    return any(_BACKEND.search(read_small(p) or b"") for p in names)


# ``source = "../x"`` (HCL) or ``"source": "./x"`` (JSON); a Terragrunt unit's
# ``source = "${get_terragrunt_dir()}/../x"`` too. The pattern
# starts with a literal, so the regular expression engine skips ahead to each "source":
# cheap enough to read every file of a 10,000-file repository on the pre-commit path.
_LOCAL_SOURCE = re.compile(rb'source"?\s*[=:]\s*"(\.\.?/[^"]*|\$\{get_terragrunt_dir\(\)\}[^"]*)"')
_TERRAGRUNT_DIR = "${get_terragrunt_dir()}"


def _word_before(data: bytes, at: int) -> bool:
    """``resource`` is not ``source``: the byte before a match is part of a word."""
    if at == 0:
        return False
    c = data[at - 1]
    return c >= 0x80 or c == 0x5F or chr(c).isalnum()


def _local_dir(source: str, directory: str) -> str:
    """The directory a local ``source`` names, seen from ``directory`` (Terragrunt's
    ``//`` and ``?ref=`` removed)."""
    path = source.split("?", 1)[0]
    if path.startswith(_TERRAGRUNT_DIR):
        path = directory + path[len(_TERRAGRUNT_DIR) :]
    return os.path.realpath(os.path.join(directory, path.replace("//", "/")))


def module_callers(
    modules: list[Path], ctx: ScanContext, config: Config
) -> tuple[set[Path], set[Path], set[Path]]:
    """Directories under the root that call one of ``modules`` as a local module, directly
    or through other local modules; the Terragrunt units (``terragrunt.hcl``) that deploy
    one of them or one of those callers; and which of ``modules`` have such callers.

    Reads only the ``.tf``/``.tf.json``/``terragrunt.hcl`` files that contain ``source``,
    with a regular expression (no parsing); it is how a changed file inside a module
    reaches the roots and units that use it."""

    callers_of: dict[str, set[str]] = {}
    units_of: dict[str, set[str]] = {}
    for dirpath, dirnames, filenames in os.walk(ctx.root):
        dirnames[:] = [
            d
            for d in dirnames
            if not _skip_dir(dirpath, d) and not config.excludes(os.path.join(dirpath, d), ctx.root)
        ]
        here = ""
        for name in filenames:
            unit = name == TERRAGRUNT_FILE
            if not (unit or _is_tf(name)):
                continue
            data = read_small(os.path.join(dirpath, name))
            if not data or b"source" not in data:
                continue
            here = here or os.path.realpath(dirpath)
            for m in _LOCAL_SOURCE.finditer(data):
                if _word_before(data, m.start()):
                    continue
                source = m.group(1).decode("utf-8", "replace")
                callee = _local_dir(source, here)
                if unit:
                    units_of.setdefault(callee, set()).add(os.path.join(here, name))
                else:
                    callers_of.setdefault(callee, set()).add(here)
    wanted = {os.path.realpath(m): m for m in modules}
    seen: set[str] = set(wanted)
    frontier = list(wanted)
    callers: set[Path] = set()
    while frontier:
        for caller in callers_of.get(frontier.pop(), ()):
            if caller not in seen:
                seen.add(caller)
                callers.add(Path(caller))
                frontier.append(caller)
    units = {Path(u) for d in seen for u in units_of.get(d, ())}
    called = {wanted[w] for w in wanted if callers_of.get(w) or units_of.get(w)}
    return callers, units, called
