"""Under pytest-xdist (``-n 2``) every worker has its own fake Twilio state and its own server."""

from __future__ import annotations

import json

import pytest


def test_state_is_isolated_per_test_and_worker(pytester: pytest.Pytester) -> None:
    out = pytester.path / "seen"
    out.mkdir()
    pytester.makepyfile(
        f"""
        import json, os, pathlib
        import pytest
        import requests
        from twilio_sdk import Client

        OUT = pathlib.Path({str(out)!r})

        @pytest.mark.parametrize("n", range(8))
        def test_fixture(twilio_mock, n):
            for i in range(n):
                Client().messages.create(to="+15558675310", from_="+15017122661", body=f"{{n}}-{{i}}")
            assert [m.body for m in twilio_mock.messages()] == [f"{{n}}-{{i}}" for i in range(n)]

        @pytest.mark.parametrize("n", range(6))
        def test_server(twilio_server, n):
            url = f"{{twilio_server.url}}/api/2010-04-01/Accounts/{{twilio_server.account_sid}}/Messages.json"
            auth = (twilio_server.account_sid, twilio_server.auth_token)
            for i in range(n):
                requests.post(url, data={{"To": "+15558675310", "From": "+15017122661", "Body": str(i)}}, auth=auth, timeout=10)
            assert len(twilio_server.messages()) == n
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            (OUT / f"{{worker}}-{{n}}.json").write_text(json.dumps(twilio_server.url))
        """
    )
    # --dist each: every worker runs every test, so both workers certainly use a server.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--dist", "each")
    result.assert_outcomes(passed=28)
    by_worker: dict[str, set[str]] = {}
    for file in out.iterdir():
        by_worker.setdefault(file.name.split("-")[0], set()).add(json.loads(file.read_text()))
    assert sorted(by_worker) == ["gw0", "gw1"]
    assert all(len(urls) == 1 for urls in by_worker.values())  # one server per worker...
    assert len(set.union(*by_worker.values())) == 2  # ...and not the same one
