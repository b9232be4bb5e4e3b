"""Large collections page and round-trip correctly. How their cost grows (page k vs page 0,
snapshot/restore time) is measured as ratios by ``benchmarks/mock_bench.py``, not asserted here."""

from __future__ import annotations

from tests.mock.helpers import Raw
from twilio_mock import Backend

N = 200_000


def _with_messages(n: int) -> Backend:
    backend = Backend(seed=0, journal_size=10)
    account = backend.account_sid
    records = [
        {
            "sid": f"SM{i:032x}",
            "to": "+15558675310",
            "from": "+15005550006",
            "body": f"m{i}",
            "date_created": 1735689600 + i,
        }
        for i in range(n)
    ]
    snapshot = backend.snapshot()
    snapshot["collections"].append(
        {
            "account": account,
            "domain": "api",
            "version": "v2010",
            "path": f"/2010-04-01/Accounts/{account}/Messages",
            "parent": {"account_sid": account},
            "records": records,
        }
    )
    backend.restore(snapshot)
    return backend


def test_deep_pages_and_page_tokens_over_a_large_collection() -> None:
    backend = _with_messages(N)
    raw = Raw(backend)
    url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    first = raw("GET", url, PageSize=50).json()
    assert first["messages"][0]["sid"] == f"SM{N - 1:032x}"  # newest first
    last_page = N // 50 - 1
    deep = raw("GET", url, PageSize=50, Page=last_page).json()
    assert deep["messages"][-1]["sid"] == f"SM{0:032x}" and deep["next_page_uri"] is None
    token = f"PASM{100:032x}"
    by_token = raw("GET", url, PageSize=50, Page=last_page, PageToken=token).json()
    assert by_token["messages"][0]["sid"] == f"SM{99:032x}"
    assert [m["sid"] for m in by_token["messages"]][-1] == f"SM{50:032x}"
    assert by_token["previous_page_uri"] is not None and "PageToken=PBSM" in by_token["previous_page_uri"]


def test_snapshot_and_restore_a_large_collection() -> None:
    backend = _with_messages(100_000)
    other = Backend(seed=1)
    other.restore(backend.snapshot())
    assert other.store.count() == backend.store.count() == 100_002  # + the account and its number
    assert other.snapshot()["collections"] == backend.snapshot()["collections"]
