"""The sample cassette ``fixtures/cassettes/sample.yaml``: how it was recorded.

It was recorded through :func:`twilio_mock.cassettes.use_cassette` (``mode="rewrite"``) with
``record_url`` set to a ``twilio-mock`` server in a thread over ``Backend(seed=2025)``, by an SDK
client with that backend's main account addressing Twilio's own hosts: a message create, a fetch
of it, a list of messages, and a Verify service create. Record it again (same bytes but for
``recorded_at``, which ``tests/cassettes/test_sample.py`` checks) with::

    python -m tests.cassettes.sample
"""

from __future__ import annotations

from pathlib import Path

from twilio_mock import Backend
from twilio_mock.cassettes import Cassette, use_cassette
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "fixtures" / "cassettes" / "sample.yaml"
SAMPLE_SEED = 2025
TO, FROM, BODY = "+15558675310", "+15017122661", "Your table is ready"


def scenario(client: Client) -> dict[str, object]:
    """What the sample holds, as the application saw it."""
    sent = client.messages.create(to=TO, from_=FROM, body=BODY)
    fetched = client.messages(sent.sid).fetch()
    listed = [m.sid for m in client.messages.list(limit=20)]
    service = client.verify.v2.services.create(friendly_name="Sample sign-in")
    return {
        "message": sent.sid,
        "status": fetched.status,
        "body": fetched.body,
        "listed": listed,
        "service": service.sid,
        "service_name": service.friendly_name,
    }


def record(path: Path = SAMPLE) -> Cassette:
    """Record the sample to ``path`` against a fresh server."""
    backend = Backend(seed=SAMPLE_SEED)
    with ServerThread(MockServerApp(backend)) as server:
        client = Client(backend.account_sid, backend.auth_token, environment={})
        with use_cassette(path, mode="rewrite", record_url=server.url) as cassette:
            scenario(client)
    return cassette


if __name__ == "__main__":
    print(f"recorded {len(record().recorded)} interactions into {SAMPLE}")
