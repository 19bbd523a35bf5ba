"""Where a plan's resources are written: the ``.tf`` files of the root module and of the
modules it calls, read with the same HCL parser (:mod:`ddb_guard.terraform.hcl`),
suppression comments (``ddb-guard:ignore``) and module manifest
(:mod:`ddb_guard.terraform.manifest`) as the HCL front-end. Only positions are kept: the
values come from the plan."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ddb_guard.context import ScanContext
from ddb_guard.model import Location, Notice, Suppression
from ddb_guard.parse.source import read_text
from ddb_guard.terraform.hcl import Block, parse_hcl
from ddb_guard.terraform.manifest import read_manifest


@dataclass(slots=True)
class SrcBlock:
    """A block found in a ``.tf`` file: header location, attribute locations (with the raw
    text after ``=`` on that line), nested blocks in source order, last line."""

    type: str
    labels: tuple[str, ...]
    loc: Location
    attrs: dict[str, tuple[Location, str]] = field(default_factory=dict)
    blocks: list[SrcBlock] = field(default_factory=list)
    end_line: int = 0
    suppressions: list[Suppression] = field(default_factory=list)

    def children(self, block_type: str) -> list[SrcBlock]:
        """Nested blocks of a type; for ``dynamic "type"`` its ``content`` block."""
        out = [b for b in self.blocks if b.type == block_type]
        for b in self.blocks:
            if b.type == "dynamic" and b.labels == (block_type,):
                content = [c for c in b.blocks if c.type == "content"]
                out.append(content[0] if content else b)
        return out

    def is_dynamic(self, block_type: str) -> bool:
        return any(b.type == "dynamic" and b.labels == (block_type,) for b in self.blocks)


class SourceIndex(Mapping[str, Location]):
    """Where a plan's resources are written: a mapping from a resource's configuration
    address without instance keys (``module.users.aws_dynamodb_table.this``) to the
    location of its ``resource "type" "name" {`` header.

    ``modules`` maps a module path (``module.users``, ``module.a.module.b``) to the header
    of the ``module "name" {`` block that calls it; ``blocks`` holds the parsed block
    (attribute and nested block locations, suppressions) of each indexed resource.
    Build it with :meth:`build` (directory of the root module) or :meth:`from_files`.
    """

    def __init__(
        self,
        blocks: dict[str, SrcBlock] | None = None,
        modules: dict[str, Location] | None = None,
    ) -> None:
        self.blocks: dict[str, SrcBlock] = blocks or {}
        self.modules: dict[str, Location] = modules or {}
        self.notices: list[Notice] = []  # a module manifest that cannot be read

    def __getitem__(self, address: str) -> Location:
        return self.blocks[address].loc

    def __iter__(self) -> Iterator[str]:
        return iter(self.blocks)

    def __len__(self) -> int:
        return len(self.blocks)

    def add_file(self, path: Path, ctx: ScanContext, prefix: str = "") -> None:
        """Index the resource and module blocks of one ``.tf`` file; ``prefix`` is the module
        path of its directory (``module.users.``). Unreadable files are ignored (the HCL
        front-end reports them and their syntax errors when it scans them)."""
        text = read_text(path, ctx)
        if isinstance(text, Notice):
            return
        hf = parse_hcl(text, ctx.rel(path))
        for block in hf.blocks:
            if block.type == "resource" and len(block.labels) == 2:
                address = f"{prefix}{block.labels[0]}.{block.labels[1]}"
                if address not in self.blocks:
                    self.blocks[address] = src_block(block, hf.suppressions_for(block))
            elif block.type == "module" and len(block.labels) == 1:
                self.modules.setdefault(f"{prefix}module.{block.labels[0]}", block.loc)

    def add_dir(self, directory: Path, ctx: ScanContext, prefix: str = "") -> None:
        """Index every ``*.tf`` file of a directory (not recursive)."""
        try:
            files = sorted(p for p in directory.glob("*.tf") if p.is_file())
        except OSError:
            return
        for path in files:
            self.add_file(path, ctx, prefix)

    @classmethod
    def from_files(cls, paths: list[Path], ctx: ScanContext) -> SourceIndex:
        """An index of root-module files only."""
        index = cls()
        for path in paths:
            index.add_file(path, ctx)
        return index

    @classmethod
    def build(cls, root: Path, ctx: ScanContext, configuration: object = None) -> SourceIndex:
        """Index the ``.tf`` files of ``root`` and of the module directories its
        ``configuration`` calls: local sources (``./``, ``../``, relative to the calling
        module) and modules installed by ``terraform init``
        (``.terraform/modules/modules.json``, see :mod:`~ddb_guard.terraform.manifest`)."""
        index = cls()
        index.add_dir(root, ctx)
        installed, index.notices = read_manifest(root, ctx)
        root_module = configuration.get("root_module") if isinstance(configuration, dict) else None
        seen: set[tuple[Path, str]] = set()

        def walk(module: object, directory: Path, prefix: str, key: str, depth: int) -> None:
            calls = module.get("module_calls") if isinstance(module, dict) else None
            if not isinstance(calls, dict) or depth > 20:
                return
            for name, call in calls.items():
                if not isinstance(call, dict) or not isinstance(name, str):
                    continue
                source = call.get("source")
                child_key = f"{key}.{name}" if key else name
                if isinstance(source, str) and source.startswith(("./", "../")):
                    child_dir = directory / source
                elif child_key in installed:
                    child_dir = installed[child_key]
                else:
                    continue
                child_prefix = f"{prefix}module.{name}."
                marker = (child_dir.resolve(), child_prefix)
                if marker not in seen:
                    seen.add(marker)
                    index.add_dir(child_dir, ctx, child_prefix)
                walk(call.get("module"), child_dir, child_prefix, child_key, depth + 1)

        walk(root_module, root, "", "", 0)
        return index


def src_block(block: Block, suppressions: list[Suppression] | None = None) -> SrcBlock:
    """The positions of a parsed block: header, attribute names (with the first line of
    each value, to match a nested block by its key literal), nested blocks, last line."""
    out = SrcBlock(block.type, block.labels, block.loc, end_line=block.end_line)
    out.suppressions = list(suppressions or ())
    for name, attr in block.attrs.items():
        where = attr.name_loc
        key = Location(where.path, where.line, where.column, where.line, where.column + len(name))
        text = attr.file.text(attr.expr) if attr.file is not None else ""
        out.attrs[name] = (key, text.split("\n", 1)[0].strip())
    out.blocks = [src_block(b) for b in block.blocks]
    return out


def scan_blocks(text: str, path: str) -> list[SrcBlock]:
    """The top-level blocks of a ``.tf`` file's text, with their suppressions."""
    hf = parse_hcl(text, path)
    return [src_block(b, hf.suppressions_for(b)) for b in hf.blocks]
