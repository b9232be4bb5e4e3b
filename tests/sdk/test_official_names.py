"""Code written against the official ``twilio`` package runs against ours by changing the
import: every navigation chain the official package offers for an API in our description
resolves in ours to the same URI, with the same operations and keyword names."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

from tests import official_tree
from twilio_sdk import Client
from twilio_sdk import spec as sdk_spec

ACCOUNT = "AC" + "0" * 32
# Parameters the official package renamed after the OpenAPI tag we describe.
RENAMED_UPSTREAM = {"configuration_id"}


def norm(uri: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", uri)


def our_templates() -> dict[tuple[str, str], dict[str, set[str]]]:
    """(base_url, version prefix) -> normalized path template -> operation verbs."""
    out: dict[tuple[str, str], dict[str, set[str]]] = {}
    for domain, info in sdk_spec.domains().items():
        for version in info["versions"]:
            vs = sdk_spec.version_spec(domain, version)
            paths = out.setdefault((vs.base_url, vs.prefix.strip("/")), {})
            for key in vs.resource_keys():
                for verb, op in vs.resource(key).ops.items():
                    paths.setdefault(norm(op.path), set()).add(verb)
    return out


@pytest.fixture(scope="module")
def official() -> list[dict[str, Any]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return official_tree.walk()


def resolve(client: Client, nav: list[str], nav_args: list[int]) -> tuple[Any, list[str]]:
    node: Any = client
    markers: list[str] = []
    calls = iter(nav_args)
    for step in nav:
        if step == "()":
            args = [f"x{len(markers) + i}" for i in range(next(calls))]
            markers.extend(args)
            node = node(*args)
        else:
            node = getattr(node, step)
    return node, markers


def test_official_navigation_resolves_to_the_same_uri(official: list[dict[str, Any]]) -> None:
    ours = our_templates()
    client = Client(ACCOUNT, "token", environment={})
    checked = 0
    failures: list[str] = []
    for entry in official:
        uri, nav = entry["uri"], entry["nav"]
        if uri is None or any(step.startswith("<") for step in nav):
            continue
        paths = ours.get((entry["base_url"], entry["version"]))
        if paths is None or uri not in paths:
            continue  # an API newer than the OpenAPI tag we describe
        try:
            node, markers = resolve(client, nav, entry["nav_args"])
            got = node._uri
        except Exception as exc:  # noqa: BLE001 - report every failing chain at once
            failures.append(f"{'.'.join(nav)}: {type(exc).__name__}: {exc}")
            continue
        for marker in markers:
            got = got.replace(marker, "{}", 1)
        got = got.replace(ACCOUNT, "{}")
        if got != uri:
            failures.append(f"{'.'.join(nav)}: ours {got} official {uri}")
            continue
        for verb in entry["methods"]:
            if verb in ("stream", "page", "get_page") or verb not in paths[uri]:
                continue
            if getattr(node, verb, None) is None:
                failures.append(f"{'.'.join(nav)}.{verb} missing")
        checked += 1
    assert not failures, "\n".join(failures[:50])
    assert checked > 850


def test_our_keyword_names_are_the_official_ones(official: list[dict[str, Any]]) -> None:
    ours = our_templates()
    client = Client(ACCOUNT, "token", environment={})
    mismatches: list[str] = []
    compared = 0
    for entry in official:
        uri, nav = entry["uri"], entry["nav"]
        if uri is None or any(step.startswith("<") for step in nav):
            continue
        paths = ours.get((entry["base_url"], entry["version"]))
        if paths is None or uri not in paths:
            continue
        node, _ = resolve(client, nav, entry["nav_args"])
        res = node._res
        for verb, official_names in entry["methods"].items():
            op = res.ops.get(verb)
            if op is None or norm(op.path) != uri:
                continue
            extra = {p.name for p in op.params} - set(official_names) - RENAMED_UPSTREAM
            if extra:
                mismatches.append(f"{'.'.join(nav)}.{verb}: {sorted(extra)}")
            compared += 1
    assert not mismatches, "\n".join(mismatches)
    assert compared > 1000


def test_client_shortcuts_match_the_official_ones() -> None:
    client = Client(ACCOUNT, "token", environment={})
    for name, route in official_tree.shortcuts().items():
        ours = getattr(client, name)
        node: Any = client
        for step in route:
            node = getattr(node, step)
        assert repr(ours) == repr(node), name
        assert getattr(ours, "_uri", None) == getattr(node, "_uri", None), name
