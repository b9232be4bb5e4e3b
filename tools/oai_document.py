"""One of Twilio's OpenAPI documents, read for tools/compact_spec.py: ``$ref`` resolution,
schema composition (``allOf`` / ``oneOf`` / ``anyOf``) and compact type names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from twilio_sdk.naming import snake

COMPOSITIONS = ("allOf", "oneOf", "anyOf")


class Spec:
    """One OpenAPI document with ``$ref`` resolution."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = json.loads(path.read_text())
        self.schemas: dict[str, Any] = self.doc.get("components", {}).get("schemas", {})
        self.enums: dict[str, list[Any]] = {}

    def deref(self, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in node and seen < 10:
            ref = node["$ref"]
            if not ref.startswith("#/components/"):
                break
            parts = ref.split("/")[2:]
            target: Any = self.doc["components"]
            for p in parts:
                target = target[p]
            extra = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **extra}
            seen += 1
        return node

    def resolve(self, schema: dict[str, Any], depth: int = 0) -> dict[str, Any]:
        """``schema`` with ``$ref`` followed and ``allOf`` / ``oneOf`` / ``anyOf`` folded into
        one object: ``allOf`` parts are merged (later parts win), the ``oneOf`` / ``anyOf``
        alternatives are unioned (a property whose alternatives disagree on its type is
        ``any``), so a record's fields are every field any variant can carry."""
        schema = self.deref(schema)
        if not any(k in schema for k in COMPOSITIONS) or depth > 10:  # a schema that includes itself
            return schema
        out = {k: v for k, v in schema.items() if k not in COMPOSITIONS}
        props: dict[str, Any] = dict(out.get("properties") or {})
        for part in schema.get("allOf", []):
            props.update(self.resolve(part, depth + 1).get("properties") or {})
        for kw in ("oneOf", "anyOf"):
            for part in schema.get(kw, []):
                for name, sub in (self.resolve(part, depth + 1).get("properties") or {}).items():
                    if name not in props:
                        props[name] = sub
                    elif self.type_of(props[name]) != self.type_of(sub):
                        props[name] = {}
        if props:
            out["properties"] = props
            out.setdefault("type", "object")
        return out

    def type_of(self, schema: dict[str, Any]) -> str:
        """Compact type: string, integer, boolean, number, object, any, ``string:<format>``,
        ``enum:<name>``, ``array:<item type>``."""
        if "$ref" in schema:
            name = schema["$ref"].split("/")[-1]
            target = self.deref(schema)
            if "enum" in target:
                self.enums[name] = target["enum"]
                return "enum:" + name
            schema = target
        if any(k in schema for k in COMPOSITIONS):
            # One alternative, or alternatives that agree, give their type; anything else
            # is an object when the parts carry properties.
            parts = [p for k in COMPOSITIONS for p in schema.get(k, [])]
            kinds = {self.type_of(p) for p in parts}
            if len(kinds) == 1 and (len(parts) == 1 or "allOf" not in schema):
                return kinds.pop()
            return "object" if self.resolve(schema).get("properties") else "any"
        if "enum" in schema:
            name = "_".join(str(v) for v in schema["enum"])[:40]
            key = "inline_" + snake(name)
            self.enums[key] = schema["enum"]
            return "enum:" + key
        t = schema.get("type")
        if t == "array":
            return "array:" + self.type_of(schema.get("items", {}))
        if t is None:
            return "any"
        fmt = schema.get("format")
        if fmt and not schema.get("x-twilio", {}).get("ignoreFormat"):
            return f"{t}:{fmt}"
        return str(t)


def response_schema(spec: Spec, op: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of the success answer: the first 2xx with a body, else the first 3xx with
    one (a fetch may answer 307 with a record, and both SDKs accept 3xx on fetch)."""
    answers = sorted(op.get("responses", {}).items())
    for first in ("2", "3"):
        for status, resp in answers:
            if not status.startswith(first):
                continue
            resp = spec.deref(resp)
            for content in (resp.get("content") or {}).values():
                return spec.resolve(content.get("schema", {}))
    return None
