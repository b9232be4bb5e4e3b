"""Every response field of every resource in the description is reachable as an attribute:
a field named like a member of the runtime's classes (``properties``, ``to_dict``, an
operation or a child list) reads the field, never the member."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.sdk.reach import Markers, reach, sample
from tests.sdk.recording import Recorder, Sent
from twilio_sdk import Client
from twilio_sdk import spec as sdk_spec
from twilio_sdk.http.response import Response
from twilio_sdk.naming import attr_name

ACCOUNT = "AC" + "1" * 32
PREFERRED = ("fetch", "create", "update", "patch", "list")


def typed_resources() -> list[tuple[str, str, str, str]]:
    out = []
    for domain, info in sdk_spec.domains().items():
        for version in info["versions"]:
            vs = sdk_spec.version_spec(domain, version)
            for key in vs.resource_keys():
                res = vs.resource(key)
                verb = next((v for v in PREFERRED if v in res.ops), None)
                if res.fields and verb:
                    out.append((domain, version, key, verb))
    return out


RESOURCES = typed_resources()


def test_no_field_hides_behind_the_runtimes_private_names() -> None:
    private = [
        (d, v, k, f)
        for d, v, k, _ in RESOURCES
        for f in sdk_spec.version_spec(d, v).resource(k).fields
        if f.startswith("_")
    ]
    assert not private, f"fields starting with '_' are not read as attributes: {private}"


@pytest.mark.parametrize(("domain", "version", "key", "verb"), RESOURCES, ids=lambda v: str(v))
def test_every_field_reads_its_own_value(domain: str, version: str, key: str, verb: str) -> None:
    vs = sdk_spec.version_spec(domain, version)
    res = vs.resource(key)
    op = res.ops[verb]
    # A value no converter accepts comes back unchanged, whatever the field's type.
    record = {field: f"v:{field}" for field in res.fields}

    def reply(sent: Sent) -> Response:
        if verb == "list":
            page_key = res.list_key or "items"
            return Response(200, json.dumps({page_key: [record], "meta": {"key": page_key}}))
        return Response(op.ok if op.ok != 204 else 200, json.dumps(record))

    client = Client(ACCOUNT, "token", http_client=Recorder(reply=reply), environment={})
    node = reach(client, vs, key, op, Markers())
    kwargs = {p.name: sample(p.type, vs.enums) for p in op.params if p.required and p.location != "body"}
    kwargs.update({p.name: {"k": "v"} for p in op.params if p.required and p.location == "body"})
    result: Any = getattr(node, verb)(**kwargs)
    instance = result[0] if verb == "list" else result
    wrong = {}
    for field in res.fields:
        got = getattr(instance, attr_name(field))
        if got != f"v:{field}":
            wrong[attr_name(field)] = got
    assert not wrong, f"{domain}.{version} {key}: attributes that do not read their field: {wrong}"
