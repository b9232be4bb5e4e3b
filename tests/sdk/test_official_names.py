"""Code written against the official ``twilio`` package runs against ours by changing the
import, and the other way round: both SDKs are compared in both directions.

- Every navigation chain the official package offers resolves in ours (to the same URI
  where the official node has operations), with the same operations on it.
- Every operation (by host, version, URI and verb) and every keyword argument of one
  exists in the other SDK.

What differs because the official package is newer or older than the OpenAPI tag we
describe is listed, with a reason, in ``official_drift.json``; a difference missing there
fails, and so does an entry there that no longer matches a difference.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import official_tree
from twilio_sdk import Client
from twilio_sdk import spec as sdk_spec

ACCOUNT = "AC" + "0" * 32
DRIFT = Path(__file__).with_name("official_drift.json")
LIST_VERBS = ("list", "stream", "page")
OpKey = tuple[str, str, str, str]  # base URL, version, URI template, verb


def norm(uri: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", uri)


def group(verb: str) -> str:
    """``stream`` and ``page`` take the keywords of ``list``; compare them as one."""
    return "list" if verb in LIST_VERBS else verb


@dataclass(frozen=True)
class Difference:
    """One thing one SDK has and the other lacks; ``keys`` are the drift entries that
    would cover it, most specific first."""

    side: str  # "official_only" or "ours_only"
    what: str
    keys: tuple[str, ...]


def scopes(base: str, version: str, uri: str | None = None, verb: str | None = None) -> tuple[str, ...]:
    out = [f"{base} {version}"]
    if uri is not None:
        out.append(f"{out[-1]} {uri}")
        if verb is not None:
            out.append(f"{out[-1]} {verb}")
    return tuple(reversed(out))


def official_ops(entries: list[dict[str, Any]]) -> dict[OpKey, set[str]]:
    ops: dict[OpKey, set[str]] = {}
    for entry in entries:
        if entry["uri"] is None:
            continue
        for verb, names in entry["methods"].items():
            if verb == "get_page":  # takes a URL, the same in both
                continue
            key = (entry["base_url"], entry["version"], entry["uri"], group(verb))
            ops.setdefault(key, set()).update(names)
    return ops


def our_ops() -> dict[OpKey, set[str]]:
    ops: dict[OpKey, set[str]] = {}
    for domain, info in sdk_spec.domains().items():
        for version in info["versions"]:
            vs = sdk_spec.version_spec(domain, version)
            for key in vs.resource_keys():
                for verb, op in vs.resource(key).ops.items():
                    op_key = (vs.base_url, vs.prefix.strip("/"), norm(op.path), verb)
                    ops.setdefault(op_key, set()).update(p.name for p in op.params)
    return ops


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


def navigation_problems(client: Client, entry: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Why the official chain ``entry`` does not work in ours: ``(problem, verb)`` pairs,
    the verb set when one operation is missing."""
    try:
        node, markers = resolve(client, entry["nav"], entry["nav_args"])
    except Exception as exc:  # noqa: BLE001 - every failing chain is reported
        return [(f"{type(exc).__name__}: {exc}", None)]
    if not entry["methods"]:
        return []  # a pure navigation step (a namespace in ours): resolving is the contract
    got = getattr(node, "_uri", None)
    for marker in markers:
        got = got.replace(marker, "{}", 1) if got else got
    got = got.replace(ACCOUNT, "{}") if got else got
    if got != entry["uri"]:
        return [(f"reaches {got}, official {entry['uri']}", None)]
    return [(f"lacks {verb}()", verb) for verb in entry["methods"] if getattr(node, verb, None) is None]


def differences(entries: list[dict[str, Any]]) -> list[Difference]:
    client = Client(ACCOUNT, "token", environment={})
    theirs, ours = official_ops(entries), our_ops()
    found: list[Difference] = []
    for entry in entries:
        if any(step.startswith("<") for step in entry["nav"]):
            continue  # a version object the official domain does not expose: its operations count below
        dotted = ".".join(entry["nav"])
        for problem, verb in navigation_problems(client, entry):
            where = scopes(entry["base_url"], entry["version"], entry["uri"], group(verb) if verb else None)
            found.append(
                Difference("official_only", f"navigation {dotted}: {problem}", (f"nav {dotted}", *where))
            )
    for side, have, other in (("official_only", theirs, ours), ("ours_only", ours, theirs)):
        for key in sorted(set(have) - set(other)):
            found.append(Difference(side, f"operation {' '.join(key)}", scopes(*key)))
        for key in sorted(set(have) & set(other)):
            for name in sorted(have[key] - other[key]):
                found.append(
                    Difference(side, f"keyword {' '.join(key)} {name}", (f"{' '.join(key)} {name}",))
                )
    return found


@pytest.fixture(scope="module")
def drift() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(DRIFT.read_text())
    return {side: data[side] for side in ("official_only", "ours_only")}


@pytest.fixture(scope="module")
def found() -> list[Difference]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return differences(official_tree.walk())


def covering(diff: Difference, drift: dict[str, dict[str, str]]) -> str | None:
    return next((key for key in diff.keys if key in drift[diff.side]), None)


def test_every_difference_from_the_official_package_is_listed(
    found: list[Difference], drift: dict[str, dict[str, str]]
) -> None:
    unlisted = [f"{d.side}: {d.what} (list as {d.keys[0]!r})" for d in found if covering(d, drift) is None]
    assert not unlisted, f"differences not in {DRIFT.name}:\n" + "\n".join(unlisted)


def test_no_drift_entry_is_stale(found: list[Difference], drift: dict[str, dict[str, str]]) -> None:
    used = {(d.side, covering(d, drift)) for d in found}
    stale = [
        f"{side}: {key}" for side, entries in drift.items() for key in entries if (side, key) not in used
    ]
    assert not stale, f"entries of {DRIFT.name} that match no difference any more:\n" + "\n".join(stale)
    empty = [key for entries in drift.values() for key, reason in entries.items() if not reason.strip()]
    assert not empty, f"entries without a reason: {empty}"


def test_client_shortcuts_match_the_official_ones() -> None:
    client = Client(ACCOUNT, "token", environment={})
    for name, route in official_tree.shortcuts().items():
        ours = getattr(client, name)
        node: Any = client
        for step in route:
            node = getattr(node, step)
        assert repr(ours) == repr(node), name
        assert getattr(ours, "_uri", None) == getattr(node, "_uri", None), name
