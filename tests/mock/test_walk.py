"""Every resource of the description answers each declared operation with the right kind
of response: its declared success status (create 201/200/202, fetch and list 200, update
200, delete 204), walking each version parents-first with minimal valid parameters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.mock.helpers import Raw, fill, minimal_params, url_for
from twilio_mock import Backend
from twilio_mock.core.defaults import NATURAL_KEYS
from twilio_sdk import spec as _spec
from twilio_sdk.spec import ResourceSpec

VERSIONS = [(d, v) for d, info in _spec.domains().items() for v in info["versions"]]
_IPN = "Accounts/{AccountSid}/IncomingPhoneNumbers"
_AVAILABLE = "Accounts/{AccountSid}/AvailablePhoneNumbers/{CountryCode}"
# Numbers one can buy (the sample +15005550006 is a test-credentials number): one per list, as a
# number bought once is no longer for sale.
PARAMS = {
    _IPN: {"PhoneNumber": "+14155550123"},
    f"{_IPN}/Local": {"PhoneNumber": "+14155550124"},
    f"{_IPN}/Mobile": {"PhoneNumber": "+447400123456"},
    f"{_IPN}/TollFree": {"PhoneNumber": "+18005550123"},
    "Accounts/{AccountSid}/Calls": {"From": "+15017122661"},  # a caller ID the account owns
}
# Operations a behaviour answers with Twilio's refusal: (resource key, verb) -> status. The walk
# reaches AvailablePhoneNumbers through the first country listed (US), which sells local and
# toll-free numbers only.
REFUSED = {
    (f"{_AVAILABLE}/{kind}", "list"): 404
    for kind in ("Mobile", "National", "Voip", "SharedCost", "MachineToMachine")
}
# A Verify check with neither To nor VerificationSid names no verification: 400 / 60221.
REFUSED[("Services/{ServiceSid}/VerificationCheck#verification_checks", "create")] = 400


class Walker:
    def __init__(self, backend: Backend, domain: str, version: str) -> None:
        self.backend = backend
        self.raw = Raw(backend)
        self.domain, self.version = domain, version
        self.vspec = _spec.version_spec(domain, version)
        self.list_segs: dict[str, list[str]] = {}
        self.instance_segs: dict[str, list[str]] = {}
        self.ids: dict[str, str] = {}  # concrete list path -> a record id there
        self.problems: list[str] = []
        self.calls = 0

    def order(self) -> list[str]:
        def rank(key: str) -> tuple[int, str, int, str]:
            base = key.split("#")[0]
            return (base.count("/"), base, 0 if "create" in self.vspec.resource(key).ops else 1, key)

        return sorted(self.vspec.resource_keys(), key=rank)

    def segs_of(self, key: str, res: ResourceSpec) -> list[str]:
        rel = fill(res.rel)
        if res.parent is None or res.parent not in self.list_segs:
            segs = fill(key.split("#")[0]) if res.parent else rel
        elif res.raw.get("under_list"):
            segs = self.list_segs[res.parent] + rel
        else:
            segs = self.instance_segs[res.parent] + rel
        if self.domain == "api" and segs[:1] == ["Accounts"] and len(segs) > 1:
            segs[1] = self.backend.account_sid
        return segs

    def send(self, key: str, res: ResourceSpec, verb: str, target: list[str]) -> Any:
        op = res.ops[verb]
        url = url_for(self.domain, self.version, target, res.json_suffix)
        params = minimal_params(op, self.vspec.enums)
        params = [(w, self.backend.account_sid if w == "AccountSid" else v) for w, v in params]
        params = [(w, self.behaviour_value(key, w, PARAMS.get(key, {}).get(w, v))) for w, v in params]
        if key == "token":  # the OAuth token endpoints check real client credentials
            client = {
                "grant_type": "client_credentials",
                "client_id": self.backend.account_sid,
                "client_secret": self.backend.auth_token,
            }
            params = [(p.wire, client[p.name]) for p in op.params if p.name in client]
        query_wires = {p.wire for p in op.params if p.location == "query"}
        query = [(w, v) for w, v in params if w in query_wires]
        form = [(w, v) for w, v in params if w not in query_wires]
        if query:
            url += "?" + "&".join(f"{w}={v}" for w, v in query)
        self.calls += 1
        if op.body == "json":
            answer = self.raw(op.method, url, json_body={})
        else:
            answer = self.raw(op.method, url, data=form if op.method != "GET" else None)
        if answer.status != REFUSED.get((key, verb), op.ok):
            self.problems.append(f"{key} {verb}: {op.method} {url} -> {answer.status} {answer.text[:160]}")
            return None
        if answer.status != op.ok:
            return None
        if verb == "delete" and op.ok == 204:
            assert answer.body == b"", f"{key} delete has a body"
        return answer.json() if answer.body else None

    def behaviour_value(self, key: str, wire: str, value: Any) -> Any:
        """Values that behaviours check beyond the description: a message's To differs from its
        From, which is one of the account's own numbers; a Messaging Service's pool takes one of
        the account's own numbers."""
        if (key, wire) == ("Accounts/{AccountSid}/Messages", "To"):
            return "+15558675310"
        if (key, wire) == ("Accounts/{AccountSid}/Messages", "From"):
            return self.backend.phone_number
        if (self.domain, key, wire) == ("verify", "Services/{ServiceSid}/Verifications", "Channel"):
            return "sms"  # a channel Verify sends on, to an E.164 number
        if (self.domain, key, wire) == ("verify", "Services/{ServiceSid}/Verifications", "To"):
            return "+15558675310"
        if (self.domain, key, wire) == ("taskrouter", "Workspaces/{WorkspaceSid}/Workflows", "Configuration"):
            return '{"task_routing": {"filters": []}}'  # a workflow's configuration is checked
        if (self.domain, key, wire) == ("messaging", "Services/{ServiceSid}/PhoneNumbers", "PhoneNumberSid"):
            url = f"https://api.twilio.com/2010-04-01/Accounts/{self.backend.account_sid}/IncomingPhoneNumbers.json"
            return self.raw("POST", url, data={"PhoneNumber": "+15017122671"}).json()["sid"]
        return value

    def ident(self, key: str, res: ResourceSpec, segs: list[str]) -> str:
        path = "/".join(segs)
        known = self.ids.get(path)
        if known:
            return known
        for other in self.vspec.resource_keys():  # a sibling at the same path may list records
            sib = self.vspec.resource(other)
            if other.split("#")[0] == key.split("#")[0] and "list" in sib.ops and sib.list_key:
                url = url_for(self.domain, self.version, segs, sib.json_suffix)
                payload = self.raw("GET", url).json()
                items = payload.get(sib.list_key) if isinstance(payload, dict) else None
                if items and (items[0].get(res.id_field) or items[0].get("sid")):
                    return str(items[0].get(res.id_field) or items[0].get("sid"))
        ident = (res.sid_prefix or "XX") + "0" * 32
        if self.read_only(key, res) and res.instance_param not in NATURAL_KEYS and not res.singleton:
            self.seed(segs, res, ident)  # its records come from behaviours: seed one
        return ident

    def read_only(self, key: str, res: ResourceSpec) -> bool:
        base = key.split("#")[0]
        siblings = [k for k in self.vspec.resource_keys() if k.split("#")[0] == base]
        return not any("create" in self.vspec.resource(k).ops for k in siblings)

    def seed(self, segs: list[str], res: ResourceSpec, ident: str) -> None:
        """Put one record into a read-only collection through a snapshot restore."""
        state = self.backend.snapshot()
        path = self.vspec.prefix + "/" + "/".join(segs)
        account = self.backend.account_sid
        item = {"account": account, "domain": self.domain, "version": self.version, "path": path}
        state["collections"].append({**item, "records": [{res.id_field: ident}]})
        self.backend.restore(state)

    def walk(self) -> None:
        order = self.order()
        for key in order:
            res = self.vspec.resource(key)
            segs = self.list_segs[key] = self.segs_of(key, res)
            if "create" in res.ops:
                target = segs if res.ops["create"].on == "list" or res.singleton else segs + ["NewId"]
                payload = self.send(key, res, "create", target)
                new_id = None
                if isinstance(payload, dict):
                    found = [payload.get(k) for k in (res.id_field, "id", "sid")]
                    new_id = next((v for v in found if v is not None and v != ""), None)
                if res.ops["create"].on != "list" and not res.singleton:
                    self.ids["/".join(segs)] = "NewId"
                elif new_id is not None and not res.singleton:
                    self.ids["/".join(segs)] = str(new_id)
            ident = self.ident(key, res, segs)
            if res.singleton:
                inst = segs
            elif res.instance_rel:
                param = "{" + str(res.instance_param) + "}"
                inst = [ident if s == param else s for s in fill(res.instance_rel, "v") if s]
                inst = [ident if s == param else s for s in res.instance_rel.split("/") if s]
                inst = ["v" if s.startswith("{") else s for s in inst]
            else:
                inst = segs + [ident]
            self.instance_segs[key] = inst
            for verb in ("fetch", "list", "update", "patch"):
                if verb in res.ops:
                    on_list = res.ops[verb].on == "list" or res.singleton
                    self.send(key, res, verb, segs if on_list else inst)
        for key in reversed(order):
            res = self.vspec.resource(key)
            if "delete" in res.ops:
                on_list = res.ops["delete"].on == "list" or res.singleton
                self.send(key, res, "delete", self.list_segs[key] if on_list else self.instance_segs[key])


@pytest.mark.parametrize(("domain", "version"), VERSIONS, ids=[f"{d}-{v}" for d, v in VERSIONS])
def test_every_operation_answers(domain: str, version: str) -> None:
    backend = Backend(seed=1)
    walker = Walker(backend, domain, version)
    walker.walk()
    crashes = [e for e in backend.journal if e.error]
    assert not crashes, crashes[0].error
    assert not walker.problems, "\n".join(walker.problems[:15])
    declared = sum(len(walker.vspec.resource(k).ops) for k in walker.vspec.resource_keys())
    assert walker.calls == declared


def test_walk_covers_every_description_file() -> None:
    # Each walked version checks it answered every declared operation; here: no file of
    # the committed description is left out of the walk.
    walked = {_spec.domains()[d]["versions"][v] for d, v in VERSIONS}
    on_disk = {p.name for p in Path(_spec.SPEC_DIR).glob("*.json")} - {"index.json"}
    assert walked == on_disk and len(VERSIONS) == len(on_disk)
