"""CloudFormation/SAM parameter values the user supplies, like a deploy would.

Sources, later ones winning: ``samconfig.toml``/``samconfig.yaml`` next to a template
(``[<env>.deploy.parameters] parameter_overrides``, env ``default`` or ``--config-env``),
``--param-file FILE`` (the AWS CLI's ``[{"ParameterKey": .., "ParameterValue": ..}]`` or
the ``{"Parameters": {...}}`` template configuration of CodePipeline/CDK), then
``--param NAME=VALUE`` / ``--parameter-overrides 'A=1 B=2'``. A value applies to every
template that declares the parameter, as its ``Default`` would; a ``--param`` no scanned
template declares is a warning (see :func:`undeclared`).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ddb_guard.enums import Level, NoticeKind
from ddb_guard.errors import ConfigError
from ddb_guard.model import Notice

DECLARED = NoticeKind.CFN_PARAM_DECLARED  # marker: a template declared a supplied parameter
SAMCONFIG_FILES = ("samconfig.toml", "samconfig.yaml", "samconfig.yml")


def parse_overrides(text: str, where: str) -> list[tuple[str, str]]:
    """``A=1 B='two words'`` (the AWS CLI / SAM form) -> pairs."""
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    pairs = []
    for token in tokens:
        name, sep, value = token.partition("=")
        if token.startswith("ParameterKey="):  # ParameterKey=A,ParameterValue=1
            fields = dict(part.partition("=")[::2] for part in token.split(","))
            name, value = fields.get("ParameterKey", ""), fields.get("ParameterValue", "")
            sep = "="
        if not sep or not name:
            raise ConfigError(f"{where} {token!r}: expected NAME=VALUE")
        pairs.append((name, value))
    return pairs


def read_param_file(path: Path) -> dict[str, str]:
    """The values in a CloudFormation parameter file (either form)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"--param-file {path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"--param-file {path}: not JSON ({exc})") from None
    if isinstance(doc, Mapping) and isinstance(doc.get("Parameters"), Mapping):
        return {str(k): _text(v) for k, v in doc["Parameters"].items()}
    if isinstance(doc, list) and all(
        isinstance(e, Mapping) and isinstance(e.get("ParameterKey"), str) for e in doc
    ):
        return {e["ParameterKey"]: _text(e.get("ParameterValue", "")) for e in doc}
    raise ConfigError(
        f'--param-file {path}: expected [{{"ParameterKey": ..., "ParameterValue": ...}}] '
        'or {"Parameters": {...}}'
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def samconfig_values(directory: Path, env: str) -> tuple[dict[str, str], list[Notice], str]:
    """``parameter_overrides`` of the samconfig next to a template (``{}`` when none)."""
    for name in SAMCONFIG_FILES:
        path = directory / name
        if path.is_file():
            break
    else:
        return {}, [], ""
    try:
        text = path.read_text(encoding="utf-8")
        if name.endswith(".toml"):
            try:
                import tomllib
            except ModuleNotFoundError:  # Python 3.10: the declared tomli backport
                import tomli as tomllib  # type: ignore[no-redef]

            doc = tomllib.loads(text)
        else:
            import yaml

            doc = yaml.safe_load(text)
    except Exception as exc:  # a broken samconfig: said, and the template judged without it
        return {}, [Notice(str(path), f"samconfig not read: {exc}", level=Level.WARNING)], ""
    section = doc.get(env, {}) if isinstance(doc, Mapping) else {}
    deploy = section.get("deploy", {}) if isinstance(section, Mapping) else {}
    params = deploy.get("parameters", {}) if isinstance(deploy, Mapping) else {}
    raw = params.get("parameter_overrides") if isinstance(params, Mapping) else None
    if raw is None:
        return {}, [], name
    where = f"{name} [{env}.deploy.parameters] parameter_overrides"
    items = raw if isinstance(raw, list) else [raw]
    try:
        pairs = [p for item in items for p in parse_overrides(str(item), where)]
    except ConfigError as exc:
        return {}, [Notice(str(path), str(exc), level=Level.WARNING)], ""
    return dict(pairs), [], name


def undeclared(notices: list[Notice], supplied: Mapping[str, str]) -> list[Notice]:
    """``notices`` without the :data:`DECLARED` markers, plus a warning per supplied value
    no scanned template declares."""
    declared = {n.message for n in notices if n.kind == DECLARED}
    out = [n for n in notices if n.kind != DECLARED]
    for name in sorted(set(supplied) - declared):
        out.append(
            Notice(
                ".",
                f"--param {name}: no scanned template declares parameter {name!r}",
                level=Level.WARNING,
            )
        )
    return out
