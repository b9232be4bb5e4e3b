"""Name conversions shared by the runtime and the description tool."""

from __future__ import annotations

import keyword
import re

__all__ = ["RESERVED", "attr_name", "snake"]

RESERVED = frozenset(keyword.kwlist) | {"self"}


def snake(name: str) -> str:
    """``MediaUrl`` -> ``media_url``, ``Push.IncludeDate`` -> ``push_include_date``."""
    out = re.sub(r"[.\-\s/]+", "_", name)
    out = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", out)
    out = re.sub(r"([a-z])([A-Z])", r"\1_\2", out)
    out = re.sub(r"([0-9])([A-Z][a-z])", r"\1_\2", out)
    return re.sub(r"_+", "_", out).strip("_").lower()


def attr_name(field: str) -> str:
    """Python attribute for a JSON field: ``from`` -> ``from_``."""
    return field + "_" if field in RESERVED else field
