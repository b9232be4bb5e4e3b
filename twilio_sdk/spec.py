"""Loading the compact API description (``_spec/``), lazily and one version at a time."""

from __future__ import annotations

import _thread
import json
import os
from functools import cached_property
from typing import Any

__all__ = [
    "SPEC_DIR",
    "Operation",
    "Param",
    "ResourceSpec",
    "VersionSpec",
    "domains",
    "index",
    "version_spec",
]

SPEC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_spec")
_lock = _thread.allocate_lock()
_index: dict[str, Any] | None = None
_versions: dict[tuple[str, str], VersionSpec] = {}


def index() -> dict[str, Any]:
    """The small index: domains, their versions and files, shortcuts."""
    global _index
    if _index is None:
        _index = _load("index.json")
    return _index


def _load(name: str) -> Any:
    with open(os.path.join(SPEC_DIR, name), encoding="utf-8") as fh:
        return json.load(fh)


def domains() -> dict[str, Any]:
    return index()["domains"]  # type: ignore[no-any-return]


def version_spec(domain: str, version: str) -> VersionSpec:
    key = (domain, version)
    spec = _versions.get(key)
    if spec is None:
        with _lock:
            spec = _versions.get(key)
            if spec is None:
                name = domains()[domain]["versions"][version]
                spec = _versions[key] = VersionSpec(_load(name))
    return spec


class Param:
    """One operation parameter."""

    __slots__ = ("wire", "name", "location", "type", "required")

    def __init__(self, wire: str, name: str, location: str, type_: str, required: int) -> None:
        self.wire = wire
        self.name = name
        self.location = location
        self.type = type_
        self.required = bool(required)


class Operation:
    """One operation of a resource (create, fetch, update, delete, patch, list)."""

    def __init__(self, verb: str, raw: dict[str, Any]) -> None:
        self.verb = verb
        self.method: str = raw["method"]
        self.on: str = raw["on"]
        #: The path template relative to the version prefix, as Twilio documents it.
        self.path: str = raw["path"]
        self.ok: int = raw["ok"]
        self.body: str = raw.get("body", "form")
        self.conditional: list[list[str]] = raw.get("conditional", [])
        self.params = [Param(*p) for p in raw.get("params", [])]
        self.by_name = {p.name: p for p in self.params}
        self.required = [p.name for p in self.params if p.required]


class ResourceSpec:
    """A resource: its list/instance paths, operations, fields and place in the tree."""

    def __init__(self, key: str, raw: dict[str, Any]) -> None:
        self.key = key
        self.raw = raw
        self.mount: str = raw["mount"]
        self.parent: str | None = raw.get("parent")
        self.rel: str = raw["rel"]
        self.ns: list[str] = raw.get("ns", [])
        self.ns_params: list[str] = raw.get("ns_params", [])
        self.instance_param: str | None = raw.get("instance_param")
        #: Set when the instance path is not "list path + /id" (trusthub inquiries).
        self.instance_rel: str | None = raw.get("instance_rel")
        self.singleton: bool = bool(raw.get("singleton"))
        self.json_suffix: bool = bool(raw.get("json"))
        self.paging: str = raw.get("paging", "none")
        self.list_key: str | None = raw.get("key")
        self.fields: dict[str, str] = dict(raw.get("fields", []))
        self.sid_prefix: str | None = raw.get("sid_prefix")
        self.ops = {verb: Operation(verb, op) for verb, op in raw["ops"].items()}

    @cached_property
    def id_field(self) -> str:
        """The record field that holds the instance path parameter's value."""
        from twilio_sdk.naming import snake

        if self.instance_param:
            name = snake(self.instance_param)
            if name in self.fields:
                return name
        return "sid"

    @cached_property
    def list_ops(self) -> dict[str, Operation]:
        return {v: op for v, op in self.ops.items() if op.on == "list"}

    @cached_property
    def instance_ops(self) -> dict[str, Operation]:
        return {v: op for v, op in self.ops.items() if op.on == "instance"}


class VersionSpec:
    """One domain/version: resources and the navigation tree over them."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.domain: str = raw["domain"]
        self.version: str = raw["version"]
        self.prefix: str = raw["prefix"]
        self.base_url: str = raw["base_url"]
        self.enums: dict[str, list[Any]] = raw.get("enums", {})
        self._raw_resources: dict[str, Any] = raw["resources"]
        self._resources: dict[str, ResourceSpec] = {}
        self.date_style = "rfc2822" if self.version == "v2010" else "iso8601"

    def resource(self, key: str) -> ResourceSpec:
        res = self._resources.get(key)
        if res is None:
            res = self._resources[key] = ResourceSpec(key, self._raw_resources[key])
        return res

    def resource_keys(self) -> list[str]:
        return list(self._raw_resources)

    @cached_property
    def tree(self) -> dict[str | None, dict[str, Any]]:
        """For each parent its attribute tree: ``None`` is the version itself, a resource
        key its instance context, ``list:<key>`` its list. Nested dicts are keyed by
        attribute name; a dict holding ``"@"`` is the resource of that key."""
        out: dict[str | None, dict[str, Any]] = {}
        for key, raw in self._raw_resources.items():
            parent = raw.get("parent")
            node = out.setdefault(f"list:{parent}" if raw.get("under_list") else parent, {})
            for name in [*raw.get("ns", []), raw["mount"]]:
                node = node.setdefault(name, {})
            node["@"] = key
        return out
