"""The AWS providers a module instance sees: per provider key (``aws``, ``aws.west``) its
region and ``default_tags``, from the module's own ``provider "aws"`` blocks over what its
caller passes (the default provider, or the ones named in ``providers = {...}``), and the
region of a resource (its own ``region``, else its provider's, else why it is unknown)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ddb_guard.model import Value
from ddb_guard.terraform.evaluate import JsonExpr, Scope, at, evaluate, unknown
from ddb_guard.terraform.hcl import Attribute, Block
from ddb_guard.terraform.resource import TfBlock
from ddb_guard.terraform.scope import expr_text


@dataclass(frozen=True, slots=True)
class Inherited:
    """What a module call passes down: the caller's provider regions and tags, and the
    call's ``providers = {...}`` map (``None``: only the default ``aws`` is inherited)."""

    regions: dict[str, Value] = field(default_factory=dict)
    tags: dict[str, Value] = field(default_factory=dict)
    provider_map: dict[str, str] | None = None


def provider_map(attr: Attribute) -> dict[str, str]:
    """``providers = { aws = aws.west }`` -> {"aws": "aws.west"}."""
    out: dict[str, str] = {}
    if isinstance(attr.expr, JsonExpr):
        if isinstance(attr.expr.value, dict):
            for k, v in attr.expr.value.items():
                if isinstance(v, str):
                    out[k] = v[2:-1] if v.startswith("${") and v.endswith("}") else v
        return out
    file = attr.file
    if file is None:
        return out
    stack = [attr.expr]
    while stack:
        node = stack.pop()
        if node.type == "object_elem":
            exprs = [c for c in node.children if c.type == "expression"]
            if len(exprs) == 2:
                out[file.text(exprs[0]).strip().strip('"')] = file.text(exprs[1]).strip()
            continue
        stack.extend(node.children)
    return out


class Providers:
    """The providers of one module instance (each evaluated once, on first use)."""

    def __init__(
        self,
        blocks: list[Block],
        scope: Scope,
        inherited: Inherited | None = None,
        *,
        called: bool = False,
        any_provider: Callable[[], bool] = lambda: False,
    ) -> None:
        self._blocks = blocks  # the module's provider "aws" blocks
        self._scope = scope
        self._inherited = inherited or Inherited()
        self._called = called  # a module call, not a root module
        self._any_provider = any_provider  # does any scanned module declare an AWS provider
        self._regions: dict[str, Value] | None = None
        self._tags: dict[str, Value] | None = None

    def regions(self) -> dict[str, Value]:
        """Provider key (``aws``, ``aws.west``) -> its region."""
        if self._regions is None:
            if self._inherited.provider_map is None:
                regions = {k: v for k, v in self._inherited.regions.items() if k == "aws"}
            else:
                regions = {}
                for child_key, parent_key in self._inherited.provider_map.items():
                    if child_key.split(".")[0] == "aws" and parent_key in self._inherited.regions:
                        regions[child_key] = self._inherited.regions[parent_key]
            for pb in self._blocks:
                key = self._provider_key(pb)
                region_attr = pb.attrs.get("region")
                if region_attr is None:
                    regions[key] = unknown(
                        f"provider {key} sets no region (it comes from the environment)",
                        trace=(pb.loc,),
                    )
                else:
                    regions[key] = at(
                        evaluate(region_attr.expr, region_attr.file, self._scope), region_attr.loc
                    )
            self._regions = regions
        return self._regions

    def tags(self) -> dict[str, Value]:
        """Provider key (``aws``, ``aws.west``) -> its ``default_tags { tags }`` (a dict Value),
        inherited through ``providers = {...}`` like regions."""
        if self._tags is None:
            if self._inherited.provider_map is None:
                tags = {k: v for k, v in self._inherited.tags.items() if k == "aws"}
            else:
                tags = {}
                for child_key, parent_key in self._inherited.provider_map.items():
                    if child_key.split(".")[0] == "aws" and parent_key in self._inherited.tags:
                        tags[child_key] = self._inherited.tags[parent_key]
            for pb in self._blocks:
                key = self._provider_key(pb)
                dt = next((b for b in pb.blocks if b.type == "default_tags"), None)
                attr = dt.attrs.get("tags") if dt is not None else None
                if attr is not None:
                    tags[key] = at(evaluate(attr.expr, attr.file, self._scope), attr.loc)
                else:
                    tags.pop(key, None)
            self._tags = tags
        return self._tags

    def default_tags_for(self, block: Block) -> Value | None:
        """The ``default_tags`` of the provider a resource uses, or ``None``."""
        attr = block.attrs.get("provider")
        return self.tags().get(expr_text(attr) if attr is not None else "aws")

    @staticmethod
    def _provider_key(pb: Block) -> str:
        alias_attr = pb.attrs.get("alias")
        alias = ""
        if alias_attr is not None:
            a = evaluate(alias_attr.expr, alias_attr.file, Scope(None))
            alias = a.value if a.unknown is None and isinstance(a.value, str) else ""
        return f"aws.{alias}" if alias else "aws"

    def region_for(self, block: Block, body: TfBlock) -> Value:
        own = body.attrs.get("region")
        if own is not None and not (own.unknown is None and own.value is None):
            return own
        attr = block.attrs.get("provider")
        key = expr_text(attr) if attr is not None else "aws"
        if not key.startswith("aws"):
            return unknown(f"resource uses provider {key}")
        hit = self.regions().get(key)
        if hit is not None:
            return hit
        if key != "aws":
            where = (
                "passed to this module nor declared in it"
                if self._called
                else ("declared in the scanned code")
            )
            return unknown(f"provider {key} is not {where}")
        if not self._any_provider():
            return unknown("no provider region in the scanned code")
        return unknown(f"provider {key} is not configured in the scanned code")
