"""From a Twilio URL to a resource and operation of the compact description.

The host (``<product>[.<edge>][.<region>].twilio.com``) picks the domain, the path prefix
the version, and a segment trie built once per version (literal segments before
``{param}`` ones) the resource. Resources whose paths coincide (``Keys#new_keys`` and
``Keys``) share one node and, in the store, one collection.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote, unquote

from twilio_mock.core import errors
from twilio_mock.core.sids import looks_like_sid
from twilio_sdk import spec as _spec
from twilio_sdk.naming import snake
from twilio_sdk.spec import Operation, ResourceSpec, VersionSpec

# Characters a rendered path segment keeps as they are (the SDKs' own path encoding keeps them).
SEGMENT_SAFE = "+@:,'()*!$;=-._~"
# Lists that show the records another path creates: (domain, list template) -> template.
SHARED_COLLECTIONS = {
    ("numbers", "Porting/PortIn/PortInRequests"): "Porting/PortIn",
}


@dataclass(frozen=True)
class Endpoint:
    """One resource reachable at a trie node, as a list (or singleton) or an instance."""

    key: str
    kind: str  # "list" | "instance"
    template: tuple[str, ...]  # the node's full template, ``{Param}`` segments included
    list_map: tuple[str | int, ...]  # the list path: literal segments, or indexes into the request's
    canon_map: tuple[str | int, ...]  # the collection the records live in (same form)
    canonical: str  # template of that collection
    id_index: int | None  # where the instance id sits in the request's segments
    parent: tuple[str, tuple[str | int, ...], int] | None  # (parent collection template, path map, id index)
    path_fields: tuple[tuple[int, str], ...] = ()  # (segment index, record field) of parent ids


def _map(template: list[str], full: tuple[str, ...]) -> tuple[str | int, ...]:
    """Express ``template`` through the segments of a request matching ``full``."""
    out: list[str | int] = []
    for i, seg in enumerate(template):
        if not seg.startswith("{"):
            out.append(seg)
        elif seg in full:
            out.append(full.index(seg))
        elif i < len(full) and full[i].startswith("{"):
            out.append(i)
        else:
            out.append(seg)
    return tuple(out)


def _fill(path_map: tuple[str | int, ...], segs: list[str]) -> list[str]:
    return [segs[p] if isinstance(p, int) else p for p in path_map]


class _Node:
    __slots__ = ("literals", "param", "endpoints", "methods")

    def __init__(self) -> None:
        self.literals: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.endpoints: list[Endpoint] = []
        self.methods: dict[str, tuple[Endpoint, str]] = {}

    def child(self, segment: str) -> _Node:
        if segment.startswith("{"):
            if self.param is None:
                self.param = _Node()
            return self.param
        node = self.literals.get(segment)
        if node is None:
            node = self.literals[segment] = _Node()
        return node


@dataclass
class Route:
    """A matched request: where it goes and what it addresses."""

    domain: str
    product: str
    version: VersionSpec
    versions: VersionRouter
    res: ResourceSpec
    op: Operation
    verb: str
    endpoint: Endpoint
    segs: list[str]
    path: str
    methods: frozenset[str] = frozenset()  # every method the matched path answers

    @property
    def kind(self) -> str:
        return self.endpoint.kind

    @property
    def template(self) -> str:
        return self.res.key.split("#")[0]

    @property
    def params(self) -> dict[str, str]:
        """Path parameters by their template names (``AccountSid``, ``ServiceSid``...)."""
        return {
            t[1:-1]: s for t, s in zip(self.endpoint.template, self.segs, strict=False) if t.startswith("{")
        }

    @cached_property
    def list_path(self) -> str:
        """This resource's concrete list path, version prefix included, without ``.json``
        (decoded: the store's key)."""
        return _join(self.version.prefix, _fill(self.endpoint.list_map, self.segs))

    @cached_property
    def collection(self) -> str:
        """The concrete path of the collection holding the records (decoded: the store's key)."""
        return _join(self.version.prefix, _fill(self.endpoint.canon_map, self.segs))

    @cached_property
    def list_url(self) -> str:
        """:attr:`list_path` percent-encoded, as rendered in URLs."""
        return _join(
            self.version.prefix, [encode_segment(s) for s in _fill(self.endpoint.list_map, self.segs)]
        )

    @cached_property
    def collection_url(self) -> str:
        """:attr:`collection` percent-encoded, as rendered in URLs."""
        return _join(
            self.version.prefix, [encode_segment(s) for s in _fill(self.endpoint.canon_map, self.segs)]
        )

    def reset_paths(self) -> None:
        """Forget the paths derived from :attr:`segs` (after a segment was rewritten)."""
        for name in ("list_path", "collection", "list_url", "collection_url"):
            self.__dict__.pop(name, None)

    @property
    def ident(self) -> str | None:
        index = self.endpoint.id_index
        return self.segs[index] if index is not None else None

    @property
    def parent(self) -> tuple[str, str, str] | None:
        """(parent collection template, parent collection path, parent id) when the parent
        is a collection the API can create records in."""
        info = self.endpoint.parent
        if info is None:
            return None
        template, path_map, id_index = info
        return template, _join(self.version.prefix, _fill(path_map, self.segs)), self.segs[id_index]


def id_field_of(res: ResourceSpec) -> str:
    """The record field holding a record's id (``""`` for singletons): the instance
    parameter's field, else ``id`` (SCIM), else ``sid``."""
    if res.singleton:
        return ""
    if res.id_field not in res.fields and "id" in res.fields:
        return "id"
    return res.id_field


def encode_segment(segment: str) -> str:
    """One path segment percent-encoded as Twilio renders it (``+`` and ``:`` kept, so
    ``+14155550100`` and ``whatsapp:+1…`` read as sent)."""
    if segment.isalnum() and segment.isascii():
        return segment
    return quote(segment, safe=SEGMENT_SAFE)


def _join(prefix: str, segs: list[str]) -> str:
    return prefix + "/" + "/".join(segs) if segs else prefix


class VersionRouter:
    """The trie of one domain/version, plus which collections the API can create into."""

    def __init__(self, domain: str, version: VersionSpec) -> None:
        self.domain = domain
        self.spec = version
        self.root = _Node()
        self.json_suffix = False
        self.creatable: set[str] = set()
        canon: dict[str, tuple[str, int]] = {}
        keys = version.resource_keys()
        for key in keys:
            canon[key] = self._canonical(key)
            res = version.resource(key)
            self.json_suffix |= res.json_suffix
            if "create" in res.ops:
                self.creatable.add(canon[key][0])
        for key in keys:
            self._insert(key, canon)
        self._index_methods(self.root)

    def _canonical(self, key: str) -> tuple[str, int]:
        res = self.spec.resource(key)
        base = key.split("#")[0]
        if res.raw.get("under_list") and res.parent is not None and res.list_key:
            parent = self.spec.resource(res.parent)
            if parent.list_key == res.list_key:
                base = res.parent.split("#")[0]
        base = SHARED_COLLECTIONS.get((self.domain, base), base)
        return base, len(_segments(base))

    def _insert(self, key: str, canon: dict[str, tuple[str, int]]) -> None:
        res = self.spec.resource(key)
        segs = _segments(key.split("#")[0])
        template, _ = canon[key]
        shapes: list[tuple[str, tuple[str, ...], int | None]] = [("list", tuple(segs), None)]
        if res.instance_param and not res.singleton:
            param = "{" + res.instance_param + "}"
            full = tuple(_segments(res.instance_rel)) if res.instance_rel else (*segs, param)
            index = len(full) - 1 - full[::-1].index(param) if param in full else len(full) - 1
            shapes.append(("instance", full, index))
        for kind, full, id_index in shapes:
            parent = None
            # The nearest stored ancestor (a singleton between, such as a service's
            # ``Configuration``, is passed over): the request is 404 until it exists.
            above = res.parent if not res.raw.get("under_list") and not res.instance_rel else None
            while above and above in canon:
                p_template, _ = canon[above]
                p_base = len(_segments(above.split("#")[0]))
                p_res = self.spec.resource(above)
                stored = p_template in self.creatable and not (
                    self.domain == "api" and p_template == "Accounts"
                )
                if stored and not p_res.instance_rel and p_base < len(segs):
                    parent = (p_template, _map(_segments(p_template), full), p_base)
                    break
                if p_res.raw.get("under_list") or p_res.instance_rel or not p_res.singleton:
                    break
                above = p_res.parent
            fields = tuple((i, snake(t[1:-1])) for i, t in enumerate(full) if t[0] == "{" and i != id_index)
            endpoint = Endpoint(
                key,
                kind,
                full,
                _map(segs, full),
                _map(_segments(template), full),
                template,
                id_index,
                parent,
                fields,
            )
            node = self.root
            for seg in full:
                node = node.child(seg)
            node.endpoints.append(endpoint)

    def _index_methods(self, node: _Node) -> None:
        for ep in node.endpoints:
            res = self.spec.resource(ep.key)
            for verb, op in res.ops.items():
                on_list = op.on == "list" or res.singleton
                if (ep.kind == "list") == on_list:
                    node.methods.setdefault(op.method, (ep, verb))
        for child in node.literals.values():
            self._index_methods(child)
        if node.param is not None:
            self._index_methods(node.param)

    def match(self, segs: list[str]) -> _Node | None:
        return _walk(self.root, segs, 0)

    @cached_property
    def templates(self) -> list[str]:
        """Every path template of this version (for "did you mean" hints)."""
        out: list[str] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            out.extend("/".join(ep.template) for ep in node.endpoints)
            stack.extend(node.literals.values())
            if node.param is not None:
                stack.append(node.param)
        return sorted(set(out))

    def nearest(self, segs: list[str]) -> list[str]:
        """The templates closest to a path that matched nothing."""
        shape = "/".join(s if s[:1].isupper() and not looks_like_sid(s) else "{Sid}" for s in segs)
        found = difflib.get_close_matches(shape, self.templates, n=3, cutoff=0.5)
        return [self.spec.prefix + "/" + t for t in found]


def _segments(template: str) -> list[str]:
    return [s for s in template.split("/") if s]


def _walk(node: _Node, segs: list[str], i: int) -> _Node | None:
    if i == len(segs):
        return node if node.endpoints else None
    child = node.literals.get(segs[i])
    if child is not None:
        found = _walk(child, segs, i + 1)
        if found is not None:
            return found
    if node.param is not None and segs[i]:
        return _walk(node.param, segs, i + 1)
    return None


class Router:
    """Routes requests for every domain of the description; builds tries lazily."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._products: dict[str, str] | None = None
        self._prefixes: dict[str, list[tuple[str, VersionRouter]]] = {}

    def products(self) -> dict[str, str]:
        """Host label -> domain name (``flex-api`` -> ``flex_api``)."""
        if self._products is None:
            out = {}
            for name, info in _spec.domains().items():
                host = info["base_url"].split("://", 1)[-1]
                out[host.split(".")[0]] = name
            self._products = out
        return self._products

    def domain_for_host(self, host: str) -> tuple[str, str] | None:
        """(domain, product label) for a Twilio host, else ``None``."""
        if not host.endswith(".twilio.com"):
            return None
        product = host.split(".", 1)[0]
        domain = self.products().get(product)
        return (domain, product) if domain else None

    def versions(self, domain: str) -> list[tuple[str, VersionRouter]]:
        found = self._prefixes.get(domain)
        if found is None:
            with self._lock:
                found = self._prefixes.get(domain)
                if found is None:
                    built = []
                    for version in _spec.domains()[domain]["versions"]:
                        vspec = _spec.version_spec(domain, version)
                        built.append((vspec.prefix, VersionRouter(domain, vspec)))
                    found = self._prefixes[domain] = sorted(built, key=lambda p: -len(p[0]))
        return found

    def version_router(self, domain: str, version: str) -> VersionRouter:
        for _, router in self.versions(domain):
            if router.spec.version == version:
                return router
        raise KeyError(f"{domain} has no version {version}")

    def resource_at(self, domain: str, path: str) -> ResourceSpec | None:
        """The resource whose list lives at a concrete collection path."""
        found = next((p for p in self.versions(domain) if path.startswith(p[0] + "/")), None)
        if found is None:
            return None
        segs = [unquote(s) for s in path[len(found[0]) :].strip("/").split("/")]
        node = found[1].match(segs)
        return found[1].spec.resource(node.endpoints[0].key) if node is not None else None

    def collection_shape(self, domain: str, path: str) -> tuple[dict[str, str], str]:
        """The record fields a collection path implies (``call_sid`` from ``…/Calls/CA…/…``)
        and the field holding its records' ids."""
        found = next((p for p in self.versions(domain) if path.startswith(p[0] + "/")), None)
        if found is None:
            return {}, "sid"
        segs = [unquote(s) for s in path[len(found[0]) :].strip("/").split("/")]
        node = found[1].match(segs)
        if node is None:
            return {}, "sid"
        endpoint = node.endpoints[0]
        parent = {name: segs[i] for i, name in endpoint.path_fields}
        return parent, id_field_of(found[1].spec.resource(endpoint.key))

    def route(self, domain: str, product: str, method: str, path: str) -> Route:
        """The route for ``method path`` on ``domain``; raises 404 or 405 ``MockError``s. A 404
        names the routes the request probably meant (:meth:`suggest`)."""
        found = self._locate(domain, path)
        if found is None:
            raise errors.not_found(path, self.suggest(product, path))
        router, node, segs, suffixed = found
        if not suffixed and any(router.spec.resource(ep.key).json_suffix for ep in node.endpoints):
            # 2010-04-01 answers JSON only at ``.json`` paths (without it, Twilio answers XML).
            raise errors.not_found(path, [f"https://{product}.twilio.com{path}.json"])
        target = node.methods.get(method)
        if target is None:
            raise errors.method_not_allowed(method, path)
        endpoint, verb = target
        res = router.spec.resource(endpoint.key)
        methods = frozenset(node.methods)
        return Route(
            domain, product, router.spec, router, res, res.ops[verb], verb, endpoint, segs, path, methods
        )

    def _locate(self, domain: str, path: str) -> tuple[VersionRouter, _Node, list[str], bool] | None:
        """(version router, trie node, decoded segments, whether ``.json`` was given)."""
        found = next((p for p in self.versions(domain) if path == p[0] or path.startswith(p[0] + "/")), None)
        if found is None:
            return None
        prefix, router = found
        rest = path[len(prefix) :].strip("/")
        suffixed = rest.endswith(".json")
        if router.json_suffix and suffixed:
            rest = rest[:-5]
        segs = [unquote(s, errors="replace") if "%" in s else s for s in rest.split("/")] if rest else []
        node = router.match(segs)
        return (router, node, segs, suffixed) if node is not None else None

    def suggest(self, product: str, path: str, limit: int = 3) -> list[str]:
        """The URLs a request that matched nothing probably meant: the same path under another
        version of the product, on another product (or with the product missing, as in
        ``/2010-04-01/...`` sent to the mock server without ``/api``), else the nearest path
        templates of the product."""
        if len(path) > 2048 or path.count("/") > 32:
            return []
        labels = self.products()
        domain = labels.get(product)
        segs = path.strip("/").split("/")
        tries: list[tuple[str, str]] = []
        if domain is not None:
            tries += [(product, prefix + "/" + "/".join(segs[1:])) for prefix, _ in self.versions(domain)]
        if domain is None:  # a mistyped product: the closest labels, same path
            tries += [
                (near, path) for near in difflib.get_close_matches(product, list(labels), n=2, cutoff=0.6)
            ]
        tries.append(("", "/" + product + path))  # the product slot held the version
        tries.append(("", path))  # another product has this path
        out: list[str] = []
        for label, candidate in tries:
            for other in [label] if label else list(labels):
                found = self._locate(labels[other], candidate) if other in labels else None
                if found is None:
                    continue
                suffix = ".json" if not found[3] and found[0].json_suffix else ""
                url = f"https://{other}.twilio.com{candidate}{suffix}"
                if url not in out:
                    out.append(url)
                if len(out) >= limit:
                    return out
        if out or domain is None:
            return out
        best = next((r for p, r in self.versions(domain) if path.startswith(p + "/")), None)
        if best is None:
            return out
        rest = path[len(best.spec.prefix) :].strip("/").removesuffix(".json")
        suffix = ".json" if best.json_suffix else ""
        return [
            f"https://{product}.twilio.com{t}{suffix}" for t in best.nearest(rest.split("/") if rest else [])
        ]


def walk_resources() -> list[tuple[str, str, Any]]:
    """Every (domain, version, resource key) of the description."""
    out = []
    for domain, info in _spec.domains().items():
        for version in info["versions"]:
            for key in _spec.version_spec(domain, version).resource_keys():
                out.append((domain, version, key))
    return out
