"""Costs that must not grow with the number of stored records (ratios, not timings)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

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


def _best(action: Callable[[], Any], repeat: int = 9) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def test_page_k_costs_what_page_0_costs() -> None:
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
    page0 = _best(lambda: raw("GET", url, PageSize=50))
    page_k = _best(lambda: raw("GET", url, PageSize=50, Page=last_page))
    page_token = _best(lambda: raw("GET", url, PageSize=50, Page=last_page, PageToken=token))
    assert page_k / page0 < 3, (page0, page_k)
    assert page_token / page0 < 3, (page0, page_token)


def test_snapshot_and_restore_scale() -> None:
    backend = _with_messages(100_000)
    started = time.perf_counter()
    snapshot = backend.snapshot()
    other = Backend(seed=1)
    other.restore(snapshot)
    elapsed = time.perf_counter() - started
    assert other.store.count() == backend.store.count() == 100_001
    assert elapsed < 10, elapsed  # about 0.1 s on a laptop; only catches quadratic behaviour
