"""A guard against reaching the real Twilio from a test run: while installed, a request to a
Twilio host that no mock or cassette answered fails at once, for ``requests`` (through
``responses``) and ``aiohttp`` (through ``aioresponses``, which catches the official package's
async client and ours). Other hosts go on to the network, unless ``block_network`` is set, which refuses
every host but loopback.

The pytest plugin installs one for the whole session; mocks and cassettes started inside a
test sit in front of it, so whatever they answer never reaches it.
"""

from __future__ import annotations

import re
from typing import Any

from twilio_mock.ways_in.interceptor import TWILIO_URL

LOOPBACK = re.compile(r"^https?://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?([/?#]|$)", re.IGNORECASE)
HELP = (
    "use the `twilio_mock` fixture (or `with twilio_mock.mock():`) so the fake Twilio answers, or "
    "replay a cassette (`@pytest.mark.twilio_cassette`, recorded once with "
    "`--twilio-record-mode=once`); `--twilio-real` lets a test run reach Twilio on purpose"
)


class RealTwilioBlocked(RuntimeError):
    """A request would have reached the real Twilio (or, with ``block_network``, the network)."""


class Guard:
    """Refuses real Twilio traffic while installed; ``blocked`` lists what it refused."""

    def __init__(self, block_network: bool = False) -> None:
        self.block_network = block_network
        self.blocked: list[str] = []
        self._requests_mock: Any = None
        self._aiohttp: Any = None

    def install(self) -> Guard:
        import responses

        from twilio_mock.ways_in.interceptor import AnyMethodCallback

        rmock = responses.RequestsMock(assert_all_requests_are_fired=False)
        rmock.add(AnyMethodCallback(self._refuse_requests, self._refused))
        rmock.add_passthru(re.compile(".*"))  # what the guard does not refuse goes on as before
        rmock.start()
        from requests.adapters import HTTPAdapter

        from twilio_mock.ways_in import interceptor

        interceptor.GUARD_SENDS.add(HTTPAdapter.send)  # so mock() does not take it for a user's own mock
        self._requests_mock = rmock
        from twilio_mock.ways_in import async_interceptor

        if async_interceptor.available():
            pattern = (
                re.compile(r"^(?!https?://(127\.|localhost|\[::1\])).*") if self.block_network else TWILIO_URL
            )
            self._aiohttp = async_interceptor.AiohttpLayer(pattern, self._refuse_aiohttp)
            self._aiohttp.start()
        return self

    def uninstall(self) -> None:
        if self._aiohttp is not None:
            self._aiohttp.stop()
            self._aiohttp = None
        if self._requests_mock is not None:
            from requests.adapters import HTTPAdapter

            from twilio_mock.ways_in import interceptor

            interceptor.GUARD_SENDS.discard(HTTPAdapter.send)
            self._requests_mock.stop(allow_assert=False)
            self._requests_mock = None

    def _refused(self, url: str) -> bool:
        if self.block_network:
            return not LOOPBACK.match(url)
        return bool(TWILIO_URL.match(url))

    def _refuse(self, method: str, url: str) -> RealTwilioBlocked:
        what = "the real Twilio" if TWILIO_URL.match(url) else "the network (--twilio-block-network)"
        self.blocked.append(f"{method} {url} would reach {what}")
        return RealTwilioBlocked(f"twilio_mock: {method} {url} would reach {what}: {HELP}")

    def _refuse_requests(self, request: Any) -> Any:
        raise self._refuse(str(request.method), str(request.url))

    def _refuse_aiohttp(self, request: Any) -> Any:
        raise self._refuse(request.method, request.url)
