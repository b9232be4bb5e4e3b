"""Hostile input never makes the mock answer with a 500 or raise."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.mock.helpers import basic
from twilio_mock import Backend, MockRequest
from twilio_mock.hypothesis_profiles import max_examples

BACKEND = Backend(seed=0, journal_size=100)
AUTH = basic(BACKEND.account_sid, BACKEND.auth_token)
FORM = {"Authorization": AUTH, "Content-Type": "application/x-www-form-urlencoded"}


def fresh() -> tuple[str, str]:
    """Reset :data:`BACKEND` (each example starts from the same state, not the last one's) and
    create a message and a Verify service for the requests to reach; the seed makes their SIDs
    the same every time."""
    BACKEND.reset()
    base = f"https://api.twilio.com/2010-04-01/Accounts/{BACKEND.account_sid}/Messages.json"
    body = b"To=%2B15558675310&From=%2B15017122661&Body=hi"
    message = BACKEND.handle(MockRequest("POST", base, FORM, body)).json()["sid"]
    service = BACKEND.handle(
        MockRequest("POST", "https://verify.twilio.com/v2/Services", FORM, b"FriendlyName=x")
    ).json()["sid"]
    return message, service


MESSAGE, SERVICE = fresh()
HOSTS = [
    "[bad",
    "api.twilio.com:abc",
    "API.TWILIO.COM",
    "api.twilio.com",
    "verify.twilio.com",
    "conversations.twilio.com",
    "api.dublin.ie1.twilio.com",
    "x.twilio.com",
    "evil.com",
    "",
]
PREFIXES = ["/2010-04-01/Accounts/" + BACKEND.account_sid, "/2010-04-01", "/v1", "/v2", "", "/Organizations"]
SEGMENTS = st.one_of(
    st.sampled_from(
        [
            "Messages",
            "Messages.json",
            "Services",
            "Calls",
            "Accounts.json",
            "..",
            ".",
            "",
            "%00",
            "%ZZ",
            "%2F",
            "SM" + "0" * 32,
            MESSAGE,
            MESSAGE + ".json",
            SERVICE,
            "Services",
            "Verifications",
        ]
    ),
    st.text(max_size=40),
)
_ACCOUNT = "/2010-04-01/Accounts/" + BACKEND.account_sid
ROUTES = [
    ("api.twilio.com", _ACCOUNT + "/Messages.json"),
    ("api.twilio.com", f"{_ACCOUNT}/Messages/{MESSAGE}.json"),
    ("api.twilio.com", f"{_ACCOUNT}/Messages/{MESSAGE}/Media.json"),
    ("api.twilio.com", f"{_ACCOUNT}/Messages/{MESSAGE}/Feedback.json"),
    ("api.twilio.com", _ACCOUNT + "/Calls.json"),
    ("api.twilio.com", _ACCOUNT + "/IncomingPhoneNumbers.json"),
    ("api.twilio.com", _ACCOUNT + ".json"),
    ("verify.twilio.com", "/v2/Services"),
    ("verify.twilio.com", f"/v2/Services/{SERVICE}"),
    ("verify.twilio.com", f"/v2/Services/{SERVICE}/Verifications"),
    ("verify.twilio.com", f"/v2/Services/{SERVICE}/VerificationCheck"),
    ("conversations.twilio.com", "/v1/Conversations"),
]
METHODS = st.sampled_from(
    ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", "get", "", "BREW", "\x00"]
)
PARAM = st.tuples(
    st.text(max_size=20), st.one_of(st.text(max_size=50), st.just("9" * 5000), st.just("x" * 100_000))
)


@st.composite
def requests(draw: st.DrawFn) -> MockRequest:
    real = draw(st.booleans())
    if real:  # a real route, often with a real record's SID
        host, path = draw(st.sampled_from(ROUTES))
    else:
        host = draw(st.sampled_from(HOSTS))
        path = (
            draw(st.sampled_from(PREFIXES))
            + "/"
            + "/".join(quote(s, safe="%./") for s in draw(st.lists(SEGMENTS, max_size=6)))
        )
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in draw(st.lists(PARAM, max_size=4)))
    url = f"https://{host}{path}" + (f"?{query}" if query else "")
    headers = draw(
        st.sampled_from(
            [
                {"Authorization": AUTH, "Content-Type": "application/x-www-form-urlencoded"},
                {"Authorization": AUTH, "Content-Type": "application/json"},
                {"Authorization": "Basic \xff\xfe"},
                {},
            ]
        )
    )
    body = draw(
        st.one_of(
            st.binary(max_size=200),
            st.lists(PARAM, max_size=5).map(
                lambda ps: "&".join(f"{quote(k)}={quote(v)}" for k, v in ps).encode()
            ),
            st.just(b'{"a": [1, {"b": null}], "friendly_name": 5}'),
            st.just(b"[" * 5000),
        )
    )
    method = draw(st.sampled_from(["GET", "POST", "DELETE"]) if real else METHODS)
    return MockRequest(method, url, headers, body)


@settings(max_examples=max_examples(2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_hostile_requests_get_twilio_shaped_answers(request: MockRequest) -> None:
    assert fresh() == (MESSAGE, SERVICE)
    answer = BACKEND.handle(request)
    event(f"status {answer.status}")  # the outcomes: pytest --hypothesis-show-statistics
    assert answer.status != 500, BACKEND.journal.last().error  # type: ignore[union-attr]
    assert 200 <= answer.status < 500
    if answer.body:
        payload = json.loads(answer.body)
        if answer.status >= 400:
            assert set(payload) >= {"code", "message", "more_info", "status"}


@settings(deadline=None)
@given(
    st.lists(PARAM, max_size=8),
    st.sampled_from(["Messages", "Calls", "IncomingPhoneNumbers", "Queues", "Applications"]),
)
def test_hostile_form_values_on_creates(params: list[tuple[str, str]], resource: str) -> None:
    from urllib.parse import urlencode

    names = [
        "To",
        "From",
        "Body",
        "Url",
        "MediaUrl",
        "StatusCallback",
        "FriendlyName",
        "MaxSize",
        "PhoneNumber",
        "AreaCode",
        "VoiceMethod",
    ]
    pairs = [(names[sum(map(ord, k)) % len(names)], v) for k, v in params]
    url = f"https://api.twilio.com/2010-04-01/Accounts/{BACKEND.account_sid}/{resource}.json"
    headers = {"Authorization": AUTH, "Content-Type": "application/x-www-form-urlencoded"}
    fresh()
    answer = BACKEND.handle(MockRequest("POST", url, headers, urlencode(pairs).encode()))
    assert answer.status in (201, 400), answer.text
    json.loads(answer.body)


def test_a_bug_becomes_a_twilio_shaped_500(monkeypatch: object) -> None:
    backend = Backend(seed=0)

    def boom(*args: object) -> None:
        raise RuntimeError("bug")

    backend._dispatch = boom  # type: ignore[method-assign,assignment]
    answer = backend.handle(MockRequest("GET", "https://api.twilio.com/2010-04-01/Accounts.json"))
    assert answer.status == 500 and answer.json()["code"] == 20500
    entry = backend.journal.last()
    assert entry is not None and "RuntimeError: bug" in (entry.error or "")


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "PageSize",
                    "Page",
                    "PageToken",
                    "To",
                    "From",
                    "DateSent<",
                    "DateSent>",
                    "DateSent",
                    "Status",
                    "Size",
                    "Token",
                ]
            ),
            st.one_of(
                st.text(max_size=30), st.integers(-(10**30), 10**30).map(str), st.just("PA" + "SM" + "0" * 32)
            ),
        ),
        max_size=5,
    ),
    st.sampled_from(
        [
            "https://api.twilio.com/2010-04-01/Accounts/{a}/Messages.json",
            "https://api.twilio.com/2010-04-01/Accounts/{a}/Calls.json",
            "https://api.twilio.com/2010-04-01/Accounts.json",
            "https://verify.twilio.com/v2/Services",
            "https://numbers.twilio.com/v1/Porting/PortIn/PortInRequests",
            "https://numbers.twilio.com/v2/ShortCodes/Applications",
            "https://preview-iam.twilio.com/Organizations/OR0/scim/Users",
        ]
    ),
)
def test_hostile_list_queries(query: list[tuple[str, str]], url: str) -> None:
    from urllib.parse import urlencode

    fresh()
    full = url.format(a=BACKEND.account_sid) + "?" + urlencode(query)
    answer = BACKEND.handle(MockRequest("GET", full, {"Authorization": AUTH}))
    assert answer.status in (200, 400), answer.text
    json.loads(answer.body)
