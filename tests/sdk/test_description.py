"""The committed description types the records of every resource that answers with one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.sdk.recording import Recorder, json_reply
from twilio_sdk import Client
from twilio_sdk import spec as sdk_spec

ACCOUNT = "AC" + "a" * 32
ALLOWED = Path(__file__).with_name("untyped_resources.json")
RECORD_VERBS = {"list", "fetch", "create", "update", "patch"}


def untyped() -> dict[str, list[str]]:
    """``"<domain> <version> <key>"`` -> operations, for resources answering records without fields."""
    out = {}
    for domain, info in sdk_spec.domains().items():
        for version in info["versions"]:
            vs = sdk_spec.version_spec(domain, version)
            for key in vs.resource_keys():
                res = vs.resource(key)
                verbs = sorted(RECORD_VERBS & set(res.ops))
                if verbs and not res.fields:
                    out[f"{domain} {version} {key}"] = verbs
    return out


def test_every_resource_answering_records_has_typed_fields() -> None:
    allowed = {k: v for k, v in json.loads(ALLOWED.read_text()).items() if not k.startswith("_")}
    found = untyped()
    new = {k: v for k, v in found.items() if k not in allowed}
    stale = sorted(set(allowed) - set(found))
    assert not new, (
        f"resources with {sorted(RECORD_VERBS)} operations but no fields (fix the tool or add to {ALLOWED.name} with a reason): {new}"
    )
    assert not stale, f"{ALLOWED.name} lists resources that now have fields or are gone: {stale}"
    assert all(reason.strip() for reason in allowed.values())


def test_a_oneof_record_is_typed_us_app_to_person_dates_parse() -> None:
    record = {
        "sid": "QE" + "1" * 32,
        "date_created": "2024-06-01T12:00:00Z",
        "privacy_policy_url": "https://example.com/p",
        "has_embedded_links": True,
    }
    rec = Recorder(reply=json_reply(200, record))
    client = Client(ACCOUNT, "t", http_client=rec, environment={})
    campaign = client.messaging.v1.services("MG1").us_app_to_person("QE1").fetch()
    assert campaign.date_created == dt.datetime(2024, 6, 1, 12, tzinfo=dt.timezone.utc)
    # A field only the second oneOf variant declares is known (declared, absent: None).
    assert (
        campaign.privacy_policy_url == "https://example.com/p" and campaign.terms_and_conditions_url is None
    )


def test_a_fetch_answering_307_is_typed_from_that_answer() -> None:
    rec = Recorder(reply=json_reply(307, {"redirect_to": "https://example.com/file"}))
    client = Client(ACCOUNT, "t", http_client=rec, environment={})
    assert client.messaging.v1.deactivations().fetch().redirect_to == "https://example.com/file"
    assert "redirect_to" in sdk_spec.version_spec("messaging", "v1").resource("Deactivations").fields
