"""Every operation in the description, called the way a user would, sends the right request.

For each operation of the committed description: reach its resource through public navigation (ids given
as markers), call it with a generated value for every declared parameter, and check the
method, the absolute URL (built independently from the path template) and that each
parameter landed where the description says (query, form, header, JSON body). Each operation
runs twice: the method itself, and its ``*_async`` twin through an asynchronous transport.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.sdk.reach import Markers, reach, sample
from tests.sdk.recording import AsyncRecorder, Recorder, Sent
from twilio_sdk import Client
from twilio_sdk import spec as sdk_spec
from twilio_sdk.http.response import Response
from twilio_sdk.spec import Operation, ResourceSpec, VersionSpec

ACCOUNT = "AC" + "1" * 32


def all_operations() -> list[tuple[str, str, str, str]]:
    out = []
    for domain, info in sdk_spec.domains().items():
        for version in info["versions"]:
            vs = sdk_spec.version_spec(domain, version)
            for key in vs.resource_keys():
                for verb in vs.resource(key).ops:
                    out.append((domain, version, key, verb))
    return out


OPERATIONS = all_operations()


def test_every_operation_of_the_committed_description_is_exercised() -> None:
    # Read the files on disk directly, not through the loader the SDK uses.
    spec_dir = Path(sdk_spec.SPEC_DIR)
    index = json.loads((spec_dir / "index.json").read_text())
    listed = {name for info in index["domains"].values() for name in info["versions"].values()}
    assert listed == {p.name for p in spec_dir.glob("*.json")} - {"index.json"}, (
        "index.json and _spec/ disagree"
    )
    on_disk = set()
    for name in listed:
        doc = json.loads((spec_dir / name).read_text())
        on_disk.update(
            (doc["domain"], doc["version"], key, verb)
            for key, res in doc["resources"].items()
            for verb in res["ops"]
        )
    assert set(OPERATIONS) == on_disk and len(OPERATIONS) == len(on_disk)
    readme = (spec_dir.parents[1] / "README.md").read_text()
    assert f"{len(on_disk):,} operations" in readme, "README.md states another number of operations"


def expected_wire(value: Any, type_: str) -> Any:
    if isinstance(value, list):
        return [expected_wire(v, type_[6:] if type_.startswith("array:") else type_) for v in value]
    if value is True:
        return "true"
    if isinstance(value, dt.datetime):
        return "2030-01-02T03:04:05Z"
    if isinstance(value, dt.date):
        return "2030-01-02T00:00:00Z" if type_.endswith("date-time") else "2030-01-02"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def expected_path(vs: VersionSpec, op: Operation, ids: list[str]) -> str:
    """The operation's documented path template with the ids in order of appearance."""
    values = iter(ids)
    return vs.base_url + vs.prefix + re.sub(r"\{[^}]+\}", lambda m: next(values), op.path)


def reply_for(vs: VersionSpec, res: ResourceSpec, op: Operation):
    def reply(sent: Sent) -> Response:
        if op.verb == "list":
            key = res.list_key or "items"
            return Response(200, json.dumps({key: [], "meta": {"key": key}}), {})
        if op.verb == "delete":
            return Response(op.ok, "", {})
        return Response(op.ok, json.dumps({"sid": "XX" + "0" * 32}), {})

    return reply


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("domain", "version", "key", "verb"), OPERATIONS, ids=lambda v: str(v))
def test_operation_sends_the_declared_request(
    domain: str, version: str, key: str, verb: str, mode: str
) -> None:
    vs = sdk_spec.version_spec(domain, version)
    res = vs.resource(key)
    op = res.ops[verb]
    recorder = (Recorder if mode == "sync" else AsyncRecorder)(reply=reply_for(vs, res, op))
    client = Client(ACCOUNT, "token", http_client=recorder, environment={})
    ids = Markers()
    node = reach(client, vs, key, op, ids)
    kwargs = {p.name: sample(p.type, vs.enums) for p in op.params if p.location != "body"}
    body = [p for p in op.params if p.location == "body"]
    if body:
        kwargs[body[0].name] = {"k": "v", "n": [1, 2]}
    if mode == "sync":
        result = getattr(node, verb)(**kwargs)
    else:
        result = asyncio.run(getattr(node, f"{verb}_async")(**kwargs))
    if verb == "list":
        assert result == []

    assert len(recorder.sent) == 1
    sent = recorder.last
    assert sent.method == op.method
    assert sent.url == expected_path(vs, op, ids.given)
    assert sent.auth == (ACCOUNT, "token")
    for p in op.params:
        value = kwargs[p.name]
        if "prefixed-collapsible-map" in p.type:
            prefix = p.type.split("prefixed-collapsible-map-", 1)[1]
            sent_where = sent.params if p.location == "query" else sent.data
            assert sent_where is not None and sent_where[f"{prefix}.k"] == "v", p.wire
        elif p.location == "query":
            assert sent.params is not None and sent.params[p.wire] == expected_wire(value, p.type), p.wire
        elif p.location == "header":
            assert sent.headers[p.wire] == expected_wire(value, p.type), p.wire
        elif p.location == "body":
            assert sent.headers["Content-Type"] == "application/json"
            assert json.loads(sent.data) == value
        else:
            assert sent.data[p.wire] == expected_wire(value, p.type), p.wire
    if op.method == "GET":
        assert sent.headers["Accept"] == "application/json"
    if op.method == "DELETE":
        assert "Accept" not in sent.headers
