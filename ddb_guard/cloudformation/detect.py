"""Is this document a CloudFormation template, a Serverless Framework file, or neither?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CLOUDFORMATION = "cloudformation"
SERVERLESS = "serverless"
_TYPE_PREFIXES = ("AWS::", "Custom::")


def sniff(data: Any) -> str | None:
    """``"cloudformation"``, ``"serverless"`` or None, judged by content only.

    CloudFormation: an ``AWSTemplateFormatVersion`` key, or a ``Resources`` mapping with at
    least one entry whose ``Type`` is a string starting with ``AWS::``/``Custom::``.
    Serverless Framework: top-level ``service`` and ``provider`` (provider name ``aws`` or
    not given). Anything else (package.json, Kubernetes, Terraform plans) is None.
    """
    if not isinstance(data, Mapping):
        return None
    if "AWSTemplateFormatVersion" in data:
        return CLOUDFORMATION
    provider = data.get("provider")
    if "service" in data and isinstance(provider, Mapping):
        name = provider.get("name", "aws")
        return SERVERLESS if name == "aws" else None
    if has_cfn_resources(data.get("Resources")):
        return CLOUDFORMATION
    return None


def has_cfn_resources(resources: Any) -> bool:
    """A mapping of mappings with at least one ``Type: AWS::...``/``Custom::...``."""
    if not isinstance(resources, Mapping):
        return False
    for resource in resources.values():
        if isinstance(resource, Mapping):
            rtype = resource.get("Type")
            if isinstance(rtype, str) and rtype.startswith(_TYPE_PREFIXES):
                return True
    return False


def might_be_template(text: str) -> bool:
    """Cheap text pre-filter: False when the text cannot be a template or Serverless file.

    Lets discovery skip parsing (and parse-error notices for) unrelated YAML/JSON such as
    Helm charts or CI configuration.
    """
    if "AWSTemplateFormatVersion" in text:
        return True
    if "Resources" in text and ("AWS::" in text or "Custom::" in text):
        return True
    return "service" in text and "provider" in text
