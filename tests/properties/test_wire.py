"""Every declared parameter of every operation reaches the wire in the right place: for any
operation and any generated keyword arguments (``arguments``), ``twilio_sdk`` sends each one
where the description puts it (query, form, header, JSON body) encoded as its type is, and the
official ``twilio`` package, given the same call, sends the same request."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import warnings
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from twilio.http import HttpClient as OfficialHttpClient
from twilio.http.response import Response as OfficialResponse
from twilio.rest import Client as OfficialClient

from tests.sdk.reach import Markers, reach
from tests.sdk.recording import Recorder, Sent
from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.strategies import OperationRef, arguments, operations
from twilio_sdk import Client
from twilio_sdk import spec as sdk_spec
from twilio_sdk.http.response import Response

ACCOUNT = "AC" + "1" * 32
OPERATIONS = operations()


def _reply(ref: OperationRef) -> tuple[int, str]:
    if ref.verb == "list":
        key = ref.res.list_key or "items"
        return 200, json.dumps({key: [], "meta": {"key": key}})
    if ref.verb == "delete":
        return ref.op.ok, ""
    return ref.op.ok, json.dumps({"sid": "XX" + "0" * 32})


class OfficialRecorder(OfficialHttpClient):
    """The official package's transport interface: records what it is asked to send."""

    def __init__(self, answer: tuple[int, str]) -> None:
        super().__init__(None, False)  # type: ignore[arg-type]
        self.answer = answer
        self.sent: list[Sent] = []

    def request(self, method: str, uri: str, params: Any = None, data: Any = None, headers: Any = None,
                auth: Any = None, timeout: Any = None, allow_redirects: bool = False) -> OfficialResponse:  # fmt: skip
        self.sent.append(Sent(method, uri, params, data, dict(headers or {}), auth, timeout))
        return OfficialResponse(*self.answer)


def _call(client: Any, ref: OperationRef, kwargs: dict[str, Any]) -> list[str]:
    vs = sdk_spec.version_spec(ref.domain, ref.version)
    ids = Markers()
    node = reach(client, vs, ref.resource, ref.op, ids)
    method = getattr(node, ref.verb)
    if ref.verb == "list":
        method(**kwargs, limit=1)
    else:
        method(**kwargs)
    return ids.given


def _encoded(value: Any, type_: str) -> Any:
    """How the description's type puts a Python value on the wire (written from Twilio's
    conventions, not from either SDK)."""
    if isinstance(value, list):
        return [_encoded(v, type_.removeprefix("array:")) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return value  # compared parsed: JSON text
    return str(value)


def _as_sent(where: Any, wire: str) -> Any:
    value = (where or {}).get(wire)
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)  # an object's JSON text
        except ValueError:
            return value
    return [_as_sent({"v": v}, "v") for v in value] if isinstance(value, list) else value


def _check_placement(ref: OperationRef, kwargs: dict[str, Any], sent: Sent) -> None:
    for param in ref.op.params:
        if param.name not in kwargs:
            continue
        value, want = kwargs[param.name], _encoded(kwargs[param.name], param.type)
        if "prefixed-collapsible-map" in param.type:
            prefix = param.type.split("prefixed-collapsible-map-", 1)[1]
            where = sent.params if param.location == "query" else sent.data
            for key, inner in value.items():
                assert (where or {}).get(f"{prefix}.{key}") == _encoded(inner, "string"), param.wire
            continue
        if param.location == "body":
            assert sent.headers.get("Content-Type") == "application/json", ref.name
            assert json.loads(sent.data) == value, ref.name
            continue
        where = {"query": sent.params, "header": sent.headers}.get(param.location, sent.data)
        got = _as_sent(where, param.wire)
        if isinstance(want, list) and not isinstance(got, list):
            got = [got]
        assert got == want, (ref.name, param.location, param.wire, value, got)


def _normal(pairs: Any) -> dict[str, list[Any]]:
    """Form or query values as the wire has them (text; lists for repeats), JSON text parsed,
    so both SDKs' dicts compare (one may hand ``requests`` an ``int`` it encodes as text)."""
    out: dict[str, list[Any]] = {}
    for key, value in (pairs or {}).items():
        values = value if isinstance(value, list) else [value]
        out[key] = [_as_sent({"v": v if isinstance(v, str) else str(v)}, "v") for v in values]
    return out


def _official_kwargs(client: Any, ref: OperationRef, kwargs: dict[str, Any]) -> dict[str, Any] | None:
    """The keywords the official method takes (both SDKs' keywords differ only as
    tests/sdk/official_drift.json lists), or ``None`` where its navigation differs."""
    vs = sdk_spec.version_spec(ref.domain, ref.version)
    try:
        node = reach(client, vs, ref.resource, ref.op, Markers())
        accepted = inspect.signature(getattr(node, ref.verb)).parameters
    except (AttributeError, TypeError):
        return None
    missing = [
        name
        for name, p in accepted.items()
        if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD and name not in kwargs
    ]
    if missing:  # required there, optional in our description (oauth token's grant_type)
        return None
    return {k: v for k, v in kwargs.items() if k in accepted}


@settings(max_examples=max_examples(3), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(OPERATIONS).flatmap(lambda ref: st.tuples(st.just(ref), arguments(ref))))
def test_every_declared_parameter_reaches_the_wire_in_its_place(
    case: tuple[OperationRef, dict[str, Any]],
) -> None:
    ref, kwargs = case
    status, text = _reply(ref)
    ours = Recorder(reply=lambda sent: Response(status, text, {}))
    ids = _call(Client(ACCOUNT, "token", http_client=ours, environment={}), ref, kwargs)
    (sent,) = ours.sent
    vs = sdk_spec.version_spec(ref.domain, ref.version)
    values = iter(ids)
    path = "".join(next(values) if part.startswith("{") else part for part in _template(ref.op.path))
    assert (sent.method, sent.url.split("?")[0]) == (ref.method, vs.base_url + vs.prefix + path)
    _check_placement(ref, kwargs, sent)

    if ref.op.body == "json":
        event("json body: checked against the description only")
        return  # the official package takes generated model objects for these
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        official_http = OfficialRecorder(_reply(ref))
        official = OfficialClient(ACCOUNT, "token", http_client=official_http)
        theirs = _official_kwargs(official, ref, kwargs)
        if theirs is None:
            event("the official package differs (navigation, a required keyword): description only")
            return
        _call(official, ref, theirs)
    (other,) = official_http.sent
    event("both SDKs")
    mine = _normal({k: v for k, v in (sent.data or {}).items() if k in _wires(ref, theirs)})
    assert (other.method, other.url) == (sent.method, sent.url.split("?")[0]), ref.name
    # The official package also copies a list's header parameters into its query string
    # (``Authorization`` of Flex Insights lists); the description puts them in headers only.
    headers = {p.wire for p in ref.op.params if p.location == "header"}
    assert _normal({k: v for k, v in (other.params or {}).items() if k not in headers}) == _normal(
        {k: v for k, v in (sent.params or {}).items() if k in _wires(ref, theirs) or k == "PageSize"}
    ), ref.name
    assert _normal(other.data) == mine, ref.name
    for param in ref.op.params:
        if param.location == "header" and param.name in theirs and ref.method != "DELETE":
            assert other.headers.get(param.wire) == sent.headers.get(param.wire), (ref.name, param.wire)


def _wires(ref: OperationRef, kwargs: dict[str, Any]) -> set[str]:
    """The wire names (and collapsible-map keys) of the given keywords."""
    out = set()
    for param in ref.op.params:
        if param.name in kwargs:
            if "prefixed-collapsible-map" in param.type:
                prefix = param.type.split("prefixed-collapsible-map-", 1)[1]
                out.update(f"{prefix}.{k}" for k in kwargs[param.name])
            else:
                out.add(param.wire)
    return out


def _template(path: str) -> list[str]:
    """The path split into literal text and ``{Param}`` parts."""
    parts: list[str] = []
    for chunk in path.split("{"):
        if "}" in chunk:
            name, rest = chunk.split("}", 1)
            parts += ["{" + name + "}", rest]
        else:
            parts.append(chunk)
    return [p for p in parts if p]
