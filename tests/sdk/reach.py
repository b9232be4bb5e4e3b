"""Reaching any resource of the description through public navigation, and sample
parameter values of each declared type (shared by the whole-description tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from twilio_sdk import Client
from twilio_sdk.naming import snake
from twilio_sdk.spec import Operation, ResourceSpec, VersionSpec


def sample(type_: str, enums: dict[str, list[Any]]) -> Any:
    """A value of the declared type, and the wire form we expect for it."""
    if type_.startswith("array:"):
        return [sample(type_[6:], enums), sample(type_[6:], enums)]
    if type_.startswith("enum:"):
        values = enums.get(type_[5:]) or ["x"]
        return values[-1]
    if type_ == "boolean":
        return True
    if type_ in ("integer", "integer:int32", "integer:int64"):
        return 7
    if type_.startswith("number"):
        return 1.5
    if type_ == "string:date-time":
        return dt.datetime(2030, 1, 2, 3, 4, 5)
    if type_ == "string:date":
        return dt.date(2030, 1, 2)
    if type_ == "string:phone-number":
        return "+15005550006"
    if type_ in ("object", "any") or "prefixed-collapsible-map" in type_:
        return {"k": "v"}
    return "value-1"


class Markers:
    """Hands out path ids in navigation order: m0, m1, ..."""

    def __init__(self) -> None:
        self.given: list[str] = []

    def __call__(self, n: int = 1) -> list[str]:
        out = [f"m{len(self.given) + i}" for i in range(n)]
        self.given.extend(out)
        return out


def chain(vs: VersionSpec, key: str) -> list[ResourceSpec]:
    out = [vs.resource(key)]
    while out[-1].parent is not None:
        out.append(vs.resource(out[-1].parent))
    return out[::-1]


def reach(client: Client, vs: VersionSpec, key: str, op: Operation, ids: Markers) -> Any:
    node: Any = getattr(getattr(client, vs.domain), vs.version)
    resources = chain(vs, key)
    for i, res in enumerate(resources):
        for name in [*res.ns, res.mount]:
            node = getattr(node, name)
        last = i == len(resources) - 1
        child_under_list = not last and bool(resources[i + 1].raw.get("under_list"))
        if last and op.on == "list" and not res.singleton:
            return node(*ids(len(res.ns_params))) if res.ns_params else node
        if child_under_list:
            node = node(*ids(len(res.ns_params))) if res.ns_params else node
        elif res.singleton:
            node = node(*ids(len(res.ns_params)))
        elif res.raw.get("call_params"):  # positional order is not the path's: name them
            names = [*res.ns_params, res.instance_param]
            node = node(**dict(zip((snake(n) for n in names), ids(len(names)), strict=True)))
        else:
            node = node(*ids(len(res.ns_params) + 1))
    return node
