"""Records to Twilio JSON, per resource and version.

A :class:`Renderer` is built once per resource: every declared field starts from its
default, then the collection's parent values and the record's own values are laid over it,
dates are formatted for the version (RFC 2822 on 2010-04-01, ISO 8601 elsewhere), and the
links are computed: relative ``uri``/``subresource_uris`` on 2010-04-01, absolute
``url``/``links`` elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from twilio_mock.core import dates
from twilio_mock.core.defaults import RESOURCE_DEFAULTS, field_default
from twilio_sdk import spec as _spec


class Renderer:
    """Turns stored records of one resource into response dicts."""

    def __init__(self, domain: str, version: str, key: str) -> None:
        vspec = _spec.version_spec(domain, version)
        res = vspec.resource(key)
        v2010 = version == "v2010"
        self.fields = res.fields
        self.json_suffix = ".json" if res.json_suffix else ""
        template = key.split("#")[0]
        self.defaults: dict[str, Any] = {
            f: field_default(f, t, vspec.enums, v2010) for f, t in res.fields.items()
        }
        special = RESOURCE_DEFAULTS.get((domain, template), {})
        self.defaults.update({k: v for k, v in special.items() if k in res.fields})
        self.dates: list[tuple[str, Callable[[int], str]]] = []
        for name, type_ in res.fields.items():
            fmt = dates.formatter(type_)
            if fmt is not None:
                self.dates.append((name, fmt))
        self.uri = "uri" in res.fields
        self.url = "url" in res.fields
        self.subresource_uris = "subresource_uris" in res.fields
        self.links = "links" in res.fields
        declared = [(str(name), str(rel)) for name, rel in res.raw.get("links", [])]
        self.children = (
            (declared or children(domain, version, key)) if (self.subresource_uris or self.links) else []
        )

    def render(
        self, record: dict[str, Any], parent: dict[str, Any], path: str, base: str, id_field: str = ""
    ) -> dict[str, Any]:
        """``path`` is the record's path with the version prefix (no ``.json``); ``base`` the
        absolute origin (``https://verify.twilio.com``) for ``url`` and ``links``. The id
        field is always sent, even when the description forgot to declare it."""
        fields = self.fields
        if not fields:  # the description declares no fields: echo what is stored
            out = {k: v for k, v in record.items()}
            for name in ("date_created", "date_updated"):
                if isinstance(out.get(name), int):
                    out[name] = dates.iso8601(out[name])
            return out
        out = self.defaults.copy()
        if id_field and id_field not in fields and id_field in record:
            out[id_field] = record[id_field]
        for k, v in parent.items():
            if k in fields:
                out[k] = v
        for k, v in record.items():
            if k in fields:
                out[k] = v
        for name, fmt in self.dates:
            value = out[name]
            if value is not None:
                out[name] = dates.render(value, fmt)
        if self.uri:
            out["uri"] = path + self.json_suffix
        if self.url:
            out["url"] = base + path
        if self.subresource_uris:
            out["subresource_uris"] = {name: f"{path}/{rel}{self.json_suffix}" for name, rel in self.children}
        if self.links:
            out["links"] = {name: f"{base}{path}/{rel}" for name, rel in self.children}
        return out


@lru_cache(maxsize=2048)
def renderer(domain: str, version: str, key: str) -> Renderer:
    return Renderer(domain, version, key)


@lru_cache(maxsize=512)
def children(domain: str, version: str, key: str) -> list[tuple[str, str]]:
    """(link name, relative path) of the sub-resources mounted on an instance of ``key``,
    for resources whose description declares no links of its own.

    Namespaced children (``SIP/Domains``) appear once, under their namespace (``sip``).
    """
    vspec = _spec.version_spec(domain, version)
    out: dict[str, str] = {}
    for other in vspec.resource_keys():
        raw = vspec.resource(other).raw
        if raw.get("parent") != key or raw.get("under_list") or "#" in other:
            continue
        rel = str(raw["rel"])
        if "{" in rel:
            continue
        ns = raw.get("ns") or []
        if ns:
            out.setdefault(str(ns[0]), rel.split("/")[0])
        else:
            out.setdefault(str(raw["mount"]), rel)
    return list(out.items())
