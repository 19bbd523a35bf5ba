"""Evaluated Terraform resources: the hand-off between the Terraform front-ends
(HCL modules, ``.tf.json``, plan JSON) and the mapping to model entities.

A front-end resolves what Terraform would resolve (variables, locals, expressions,
``dynamic`` blocks, ``count``/``for_each``, module calls) and hands over one
:class:`TfResource` per resource (instances with equal values share one).
``ddb_guard.terraform.to_model`` turns them into :class:`ddb_guard.model.Entity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ddb_guard.model import Location, Suppression, Value


@dataclass(slots=True)
class TfBlock:
    """An evaluated block body.

    ``attrs``: attribute name -> Value (lists/maps/objects are Values whose ``value`` is a
    plain Python list/dict; an element that is not known is an unknown Value inside the
    container, see :class:`ddb_guard.model.Value`).
    ``blocks``: nested block type -> list of blocks, in source order; a ``dynamic`` block
    with a known ``for_each`` is expanded here (empty -> key absent).
    ``unknown_blocks``: nested block type -> Unknown Value, for a ``dynamic`` block whose
    ``for_each`` cannot be resolved (then the block's presence is unknown).
    ``possible``: nested block type -> the ``content`` of a ``dynamic`` block whose
    instances depend on inputs (unknown ``for_each``, or empty only with a root
    variable's default), evaluated once with an unknown iterator; each carries ``exists``.
    ``exists``: ``None`` when the block exists; an unknown Value (the reason) when it
    exists only for some inputs. Existence is kept apart from the values it has.
    """

    type: str
    loc: Location  # the block header (first line), for a resource: `resource "t" "n" {`
    labels: tuple[str, ...] = ()
    attrs: dict[str, Value] = field(default_factory=dict)
    blocks: dict[str, list[TfBlock]] = field(default_factory=dict)
    unknown_blocks: dict[str, Value] = field(default_factory=dict)
    possible: dict[str, list[TfBlock]] = field(default_factory=dict)
    exists: Value | None = None

    def attr(self, name: str) -> Value | None:
        return self.attrs.get(name)

    def first(self, block_type: str) -> TfBlock | None:
        found = self.blocks.get(block_type)
        return found[0] if found else None


@dataclass(slots=True)
class TfResource:
    """One managed resource (``mode = "managed"``) after evaluation.

    ``address``: full address without instance keys, e.g.
    ``module.users.aws_dynamodb_table.this``; with an instance key when instances differ
    (``aws_dynamodb_table.t["a"]``).
    ``call_sites``: for a resource inside a module, the location of each module call from
    the outermost (in the scanned root) inwards; findings are reported at the outermost.
    ``region``: the AWS provider region for this resource (provider alias aware).
    ``origin``: "hcl" | "tf.json" | "plan" | "registry-module:<source>".
    ``display_name``: e.g. the cdktf construct path from ``//.metadata.path``.
    ``exists``: ``None`` when the resource exists; an unknown Value whose reason says what
    its existence depends on (``count``/``for_each`` of it or of a module call that depend
    on inputs). Its values are still evaluated: they are what every instance would have.
    ``default_tags``: the provider's ``default_tags`` (a dict Value), or ``None``.
    """

    address: str
    type: str
    name: str
    body: TfBlock
    region: Value = field(default_factory=lambda: Value.unknown_because("no provider region"))
    module_path: tuple[str, ...] = ()
    call_sites: tuple[Location, ...] = ()
    suppressions: list[Suppression] = field(default_factory=list)
    origin: str = "hcl"
    display_name: str = ""
    related: list[tuple[Location, str]] = field(default_factory=list)
    exists: Value | None = None
    default_tags: Value | None = None
    # plan JSON only: values before the change, for "turns PITR off" messages
    before: TfBlock | None = None
