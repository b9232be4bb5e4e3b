"""Round trips that must hold for any input (issue 12, part 4): the mock's JSON dates parse back
to the second they render (and the official package reads them the same); ``snapshot()`` ->
``restore()`` is the identity; one seed and one history give the same state byte for byte."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.base import deserialize

from twilio_mock import Backend, MockTransport
from twilio_mock.core import dates
from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.strategies import message_bodies, phone_numbers
from twilio_sdk import Client

SECONDS = st.integers(0, 253402300799)  # 1970-01-01 .. 9999-12-31 23:59:59 UTC
FROM = "+15017122661"


@settings(max_examples=max_examples(2), deadline=None)
@given(seconds=SECONDS)
def test_dates_render_and_parse_back_to_the_same_second(seconds: int) -> None:
    assert dates.parse(dates.rfc2822(seconds)) == seconds
    assert dates.parse(dates.iso8601(seconds)) == seconds
    assert dates.parse(dates.iso_date(seconds)) == seconds - seconds % 86400
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=seconds)
    assert deserialize.rfc2822_datetime(dates.rfc2822(seconds)) == moment  # the official reader
    assert deserialize.iso8601_datetime(dates.iso8601(seconds)) == moment


# A history: messages sent (any valid US number, any body) and clock advances between them.
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("send"), phone_numbers(), message_bodies()),
        st.tuples(st.just("advance"), st.integers(0, 120)),
    ),
    max_size=8,
)


def _play(seed: int, steps: list[tuple[Any, ...]]) -> Backend:
    backend = Backend(seed=seed)
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    for step in steps:
        if step[0] == "send":
            client.messages.create(to=step[1], from_=FROM, body=step[2])
        else:
            backend.advance(step[1])
    return backend


def _text(backend: Backend) -> str:
    return json.dumps(backend.snapshot(), sort_keys=True, separators=(",", ":"))


@settings(max_examples=max_examples(0.3), deadline=None)
@given(seed=st.integers(0, 2**31), steps=STEPS)
def test_snapshot_restore_is_the_identity_and_a_seed_reproduces_the_state(
    seed: int, steps: list[tuple[Any, ...]]
) -> None:
    played = _play(seed, steps)
    text = _text(played)
    assert _text(_play(seed, steps)) == text  # the same seed and history: byte for byte

    other = Backend(seed=seed + 1)
    other.restore(json.loads(text))
    assert _text(other) == text  # restore(snapshot()) changes nothing

    # ... and goes on as the original would: the next message and its lifecycle match too.
    for backend in (played, other):
        client = Client(
            backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
        )
        client.messages.create(to="+15558675310", from_=FROM, body="after")
        backend.advance(30)
    assert _text(other) == _text(played)
