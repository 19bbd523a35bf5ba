"""The account and region of a CDK stack, from the cloud assembly's ``manifest.json``.

``cdk synth`` writes ``cdk.out/manifest.json`` next to the templates; each stack artifact
(``type: aws:cloudformation:stack``) names its ``templateFile`` and its ``environment``
``aws://ACCOUNT/REGION``. Environment-agnostic stacks say ``unknown-account`` /
``unknown-region``; those parts stay unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ddb_guard.model import Location, Value
from ddb_guard.parse.source import read_small
from ddb_guard.parse.yaml_loader import load_json

MANIFEST = "manifest.json"
STACK = "aws:cloudformation:stack"
_UNKNOWN = ("unknown-account", "unknown-region", "")


@dataclass(frozen=True, slots=True)
class StackEnvironment:
    """``account`` (None when agnostic) and ``region`` (a located Value, or None)."""

    account: str | None
    region: Value | None


def stack_environment(template: Path, manifest_rel: str) -> StackEnvironment | None:
    """The environment of the stack whose template is ``template`` (None when no manifest
    beside it names the template). ``manifest_rel``: the manifest's path as reported."""
    manifest = template.parent / MANIFEST
    found = _artifacts(str(manifest), manifest_rel)
    return found.get(template.name)


@lru_cache(maxsize=64)
def _artifacts(manifest: str, rel: str) -> dict[str, StackEnvironment]:

    raw = read_small(Path(manifest))
    if raw is None:
        return {}
    try:
        data, notice = load_json(raw.decode("utf-8"), rel)
    except UnicodeDecodeError:
        return {}
    artifacts = data.get("artifacts") if isinstance(data, Mapping) else None
    if notice is not None or not isinstance(artifacts, Mapping):
        return {}
    out: dict[str, StackEnvironment] = {}
    for artifact in artifacts.values():
        if not isinstance(artifact, Mapping) or artifact.get("type") != STACK:
            continue
        props = artifact.get("properties")
        template = props.get("templateFile") if isinstance(props, Mapping) else None
        env = artifact.get("environment")
        if not isinstance(template, str) or not isinstance(env, str):
            continue
        if not env.startswith("aws://") or env.count("/") != 3:
            continue
        account, region = env[len("aws://") :].split("/")
        span = artifact.key_span("environment") if hasattr(artifact, "key_span") else None
        loc = Location(rel, span[0], span[1]) if span else Location(rel)
        out[template] = StackEnvironment(
            None if account in _UNKNOWN else account,
            None if region in _UNKNOWN else Value.of(region, loc),
        )
    return out
