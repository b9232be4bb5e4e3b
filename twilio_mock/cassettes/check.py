"""Drift check: do recorded answers still look like the API description says they should?

``twilio-mock cassettes check DIR`` reads every ``*.yaml`` cassette under ``DIR`` and, for each
interaction with a 2xx JSON answer, routes the request as the mock does (host -> domain, path
-> resource and operation, :class:`twilio_mock.core.router.Router`) and compares the answer with the
resource's fields in ``twilio_sdk.spec``: a record for a create/fetch/update, each record under
the list key for a list. Reported per interaction:

- ``unknown field``: the answer has a field the description does not declare;
- ``missing field``: the description declares a field the answer lacks;
- ``wrong type``: a value whose JSON type is not the declared one (``null`` is always allowed;
  ``integer`` is a number too; ``enum:…`` values are strings; ``array:T`` checks each item);
- a request no operation of the description answers, and a list answer without its list key.

Exit status: 0 clean, 1 when anything drifted, 2 when ``DIR`` or a cassette cannot be read.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from twilio_mock.cassettes.errors import CassetteError
from twilio_mock.cassettes.matching import canonical_host, describe
from twilio_mock.cassettes.serialize import Interaction, load
from twilio_mock.core import errors
from twilio_mock.core.router import Router, id_field_of

__all__ = ["Drift", "check_cassette", "check_dir", "check_interaction", "json_type", "type_ok"]


@dataclass
class Drift:
    """What one interaction's answer does differently from the description."""

    path: Path
    index: int  # from 1, as shown
    request: str
    resource: str
    problems: list[str] = field(default_factory=list)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def type_ok(value: Any, declared: str) -> bool:
    """Whether a non-null ``value`` has the JSON type of a compact description type."""
    base, _, rest = declared.partition(":")
    kind = json_type(value)
    if base in ("string", "enum"):
        return kind == "string"
    if base == "integer":
        return kind == "integer"
    if base == "number":
        return kind in ("integer", "number")
    if base == "boolean":
        return kind == "boolean"
    if base == "object":
        return kind == "object"
    if base == "array":
        if kind != "array":
            return False
        return not rest or all(v is None or type_ok(v, rest) for v in value)
    return True  # "any", or a type this check does not know


def _record(record: Any, fields: dict[str, str], id_field: str, where: str) -> list[str]:
    if not isinstance(record, dict):
        return [f"wrong type: {where or 'the answer'} is {json_type(record)}; the description says object"]
    prefix = f"{where}." if where else ""
    out = [f"unknown field: {prefix}{k}" for k in sorted(record) if k not in fields and k != id_field]
    out += [f"missing field: {prefix}{k}" for k in sorted(fields) if k not in record]
    for name in sorted(fields):
        value = record.get(name)
        if value is not None and not type_ok(value, fields[name]):
            out.append(
                f"wrong type: {prefix}{name} is {json_type(value)}; the description says {fields[name]}"
            )
    return out


def check_interaction(router: Router, interaction: Interaction) -> tuple[str, list[str]] | None:
    """(resource, problems) of one interaction, ``None`` when there is nothing to check (not
    a 2xx JSON answer, or a resource the description gives no fields)."""
    request, response = interaction["request"], interaction["response"]
    status = int(response.get("status", 0))
    if not 200 <= status < 300 or "json" not in response:
        return None
    url = str(request["url"])
    found = router.domain_for_host(canonical_host(url))
    if found is None:
        return "?", [f"no API of the description is served at {urlsplit(url).hostname}"]
    domain, product = found
    try:
        route = router.route(domain, product, str(request["method"]).upper(), urlsplit(url).path)
    except errors.MockError as exc:
        return "?", [f"no operation of the description answers it: {exc.message}"]
    res = route.res
    name = f"{domain} {route.version.version} {res.key} {route.verb}"
    if not res.fields:
        return None
    body = response["json"]
    id_field = id_field_of(res)
    if route.verb != "list":
        return name, _record(body, res.fields, id_field, "")
    key = res.list_key
    if not isinstance(body, dict) or not key or not isinstance(body.get(key), list):
        return name, [f"missing field: {key} (the list of records)"]
    problems: list[str] = []
    for i, record in enumerate(body[key]):
        problems += _record(record, res.fields, id_field, f"{key}[{i}]")
    return name, problems


def check_cassette(path: Path, router: Router | None = None) -> tuple[int, list[Drift]]:
    """(interactions checked, drifts) of one cassette; raises :class:`CassetteError`."""
    router = router or Router()
    checked, drifts = 0, []
    for index, interaction in enumerate(load(path), start=1):
        result = check_interaction(router, interaction)
        if result is None:
            continue
        checked += 1
        resource, problems = result
        if problems:
            drifts.append(Drift(path, index, describe(interaction["request"]), resource, problems))
    return checked, drifts


def check_dir(directory: Path, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Check every cassette under ``directory``, print a report; the exit status."""
    if not directory.is_dir():
        print(f"twilio-mock cassettes check: {directory} is not a directory", file=err)
        return 2
    router = Router()
    files = sorted(directory.rglob("*.yaml"))
    unreadable = drifted = checked = 0
    for path in files:
        try:
            count, drifts = check_cassette(path, router)
        except CassetteError as exc:
            print(f"unreadable: {exc}", file=err)
            unreadable += 1
            continue
        checked += count
        for drift in drifts:
            drifted += 1
            print(f"{drift.path} #{drift.index} {drift.request[:300]}", file=out)
            print(f"  ({drift.resource})", file=out)
            for problem in drift.problems:
                print(f"  {problem}", file=out)
    summary = f"{checked} interactions in {_count(len(files), 'cassette')} checked: {drifted} drifted"
    if unreadable:
        summary += f", {_count(unreadable, 'cassette')} unreadable"
    print(summary, file=out)
    if unreadable:
        return 2
    return 1 if drifted else 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
