"""Where each resource goes in the navigation tree, for tools/compact_spec.py.

Parents come from ``x-twilio.parent``; declared namespace paths become attributes; lists and
id-reached singletons mounted under one name merge; each instance keeps Twilio's link names.
"""

from __future__ import annotations

from typing import Any

from twilio_sdk.naming import snake


def split_path(path: str, prefix: str) -> tuple[list[str], bool]:
    rest = path[len(prefix) :]
    json_suffix = rest.endswith(".json")
    if json_suffix:
        rest = rest[: -len(".json")]
    return [s for s in rest.split("/") if s], json_suffix


def is_param(seg: str) -> bool:
    return seg.startswith("{") and seg.endswith("}")


def link_names(res: dict[str, Any], prefix: str, deps: dict[str, Any] | None) -> list[list[str]]:
    """Twilio's ``subresource_uris``/``links`` names for an instance, each with its path
    relative to the instance (from ``x-twilio.dependentProperties``)."""
    if not deps:
        return []
    own = [*res["base"], *([f"{{{res['instance_param']}}}"] if "instance_param" in res else [])]
    out = []
    for name, dep in deps.items():
        segs, _ = split_path(str(dep.get("resource_url", "")), prefix)
        head = segs[: len(own)]
        if len(segs) > len(own) and all(
            a == b or (is_param(a) and is_param(b)) for a, b in zip(head, own, strict=True)
        ):
            rest = segs[len(own) :]
            if not any(is_param(seg) for seg in rest):
                out.append([name, "/".join(rest)])
    return out


def settle_singletons(resources: dict[str, dict[str, Any]]) -> None:
    """A literal path marked ``instance`` is a singleton, unless the same resource also
    has an id path (insights ``Voice/Reports`` + ``Voice/Reports/{reportId}``): then the
    literal path's operations belong to the list."""
    for res in resources.values():
        if res.get("singleton") and "instance_param" in res:
            del res["singleton"]
            for op in res["ops"].values():
                if not op["path"].rstrip("/").removesuffix(".json").endswith("}"):
                    op["on"] = "list"


def merge_collisions(resources: dict[str, dict[str, Any]], source: str, skipped: list[str]) -> None:
    """Two resources mounted under one name: a list (``compliance_inquiries.create``) and
    a singleton reached by id (``compliance_inquiries(id).update``) become one resource
    whose instance path is the singleton's (``instance_rel``)."""
    seen: dict[tuple[Any, ...], str] = {}
    for key in sorted(resources, key=lambda k: (resources[k].get("singleton", False), k)):
        res = resources[key]
        place = (res["parent"], res.get("under_list", False), tuple(res["ns"]), res["mount"])
        other = seen.get(place)
        if other is None:
            seen[place] = key
            continue
        first = resources[other]
        if res.get("singleton") and res.get("ns_params") and "instance_param" not in first:
            first["instance_rel"] = res["rel"]
            first["instance_param"] = res["ns_params"][-1]
            first["ops"].update(res["ops"])
            for name in ("fields", "sid_prefix"):
                first.setdefault(name, res.get(name))
            del resources[key]
        else:
            skipped.append(f"{source} {key}: mounted at the same place as {other}")


def link(resources: dict[str, dict[str, Any]], known: set[tuple[str, ...]]) -> None:
    """Place each resource in the tree from its ``x-twilio.parent``: under the resource
    whose instance (or list) path that parent names, with any declared namespace paths in
    between (``Usage.json``, ``/DialingPermissions``). Without a resolvable parent the
    resource mounts on the version, and path parameters before it become call arguments."""

    def norm(segs: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        return tuple("{}" if is_param(s) else s for s in segs)

    known_norm = {norm(k) for k in known}
    anchors: dict[tuple[str, ...], tuple[str, str]] = {}
    # Plain resources first, so they win over operation-level mounts of the same path.
    for key, res in sorted(resources.items(), key=lambda kv: "#" in kv[0]):
        if "instance_param" in res:
            anchors.setdefault(norm([*res["base"], "{x}"]), (key, "instance"))
        elif res.get("singleton"):
            anchors.setdefault(norm(res["base"]), (key, "instance"))
    for key, res in sorted(resources.items(), key=lambda kv: "#" in kv[0]):
        if not res.get("singleton"):
            anchors.setdefault(norm(res["base"]), (key, "list"))

    for key, res in resources.items():
        base = res["base"]
        xparent = res.pop("xparent")
        parent: tuple[str, str] | None = None
        ns: list[str] = []
        start = 0
        if xparent:
            psegs = norm(split_path(xparent, "")[0])
            cut = len(psegs)
            while cut and not (
                psegs[:cut] in anchors and anchors[psegs[:cut]][0] != key and norm(base[:cut]) == psegs[:cut]
            ):
                cut -= 1
            parent = anchors[psegs[:cut]] if cut else None
            start = cut
            # Segments of the parent path beyond the anchor are namespaces, when declared.
            if cut or psegs in known_norm:
                ns = [snake(seg) for seg in psegs[cut:] if seg != "{}"]
        rel = base[start:]
        res["parent"] = parent[0] if parent else None
        if parent and parent[1] == "list":
            res["under_list"] = True
        res["rel"] = "/".join(rel)
        res["ns"] = ns
        params = [seg[1:-1] for seg in rel if is_param(seg)]
        if params:
            res["ns_params"] = params
