"""A cassette session: ``use_cassette(path, mode=...)`` over every ``requests`` call to Twilio.

While active, a ``responses`` mock answers each request to a Twilio host (``TWILIO_URL``:
every product, region and edge variants included) and under the ``TWILIO_API_BASE`` in force at
entry (its ``/__mock__`` control plane excepted). Each request is scrubbed as it would be
written (:mod:`~twilio_mock.cassettes.scrubber`), then

1. replayed, in a replaying mode, from the first matching interaction not played yet (after
   the last, the last repeats), with the test's own accounts and values put back;
2. else recorded, in a recording mode: sent on (:mod:`~twilio_mock.cassettes.forwarding`), the
   real answer returned unchanged, the interaction kept for the file;
3. else answered by ``backend`` when one was given;
4. else refused with a :class:`CassetteError` naming the nearest recorded request.

Other hosts go on untouched: to the ``responses`` mock that was active before this one (so a
cassette nests inside a user's ``responses.RequestsMock`` or a ``twilio_mock.mock()``), else to
the network. A ``twilio_mock.mock()`` started inside a cassette takes the Twilio hosts over.

On exit the file is written, atomically and scrubbed, when something was recorded: the old
interactions and the new ones (``rewrite``: the new ones only; a ``rewrite`` that recorded
nothing removes the file).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import responses
from requests import PreparedRequest
from requests.adapters import HTTPAdapter

from twilio_mock.cassettes import RECORD_MODES, serialize
from twilio_mock.cassettes.errors import CassetteError
from twilio_mock.cassettes.forwarding import Forwarder
from twilio_mock.cassettes.matching import DEFAULT_MATCH_ON, Matcher, canonical, describe
from twilio_mock.cassettes.scrubber import Scrubber
from twilio_mock.ways_in.interceptor import TWILIO_URL, to_mock_request

if TYPE_CHECKING:
    from twilio_mock.backend import Backend

__all__ = ["Cassette", "use_cassette"]

CONTROL_PREFIX = "/__mock__"
RECORD_HINT = 'mode="new_episodes" (pytest: --twilio-record-mode=new_episodes)'


class _TwilioHosts(responses.CallbackResponse):
    """Matches every method on the Twilio hosts and under the base URLs, never used up."""

    def __init__(self, callback: Callable[[PreparedRequest], Any], bases: list[str]) -> None:
        super().__init__("ANY", TWILIO_URL, callback, content_type=None)
        self.bases = bases

    def matches(self, request: PreparedRequest) -> tuple[bool, str]:
        url = str(request.url or "")
        if TWILIO_URL.match(url) or _base_of(url, self.bases):
            return True, ""
        return False, "not a Twilio host"


def _base_of(url: str, bases: list[str]) -> str | None:
    """The base URL (``TWILIO_API_BASE``, ``record_url``) ``url`` is under, control plane aside."""
    for base in bases:
        if url.startswith(base + "/"):
            rest = url[len(base) :]
            control = rest[len(CONTROL_PREFIX) : len(CONTROL_PREFIX) + 1] in ("", "/", "?")
            return None if rest.startswith(CONTROL_PREFIX) and control else base
    return None


class Cassette:
    """One cassette file in use; see :func:`use_cassette`.

    ``interactions`` (what the file holds and will hold), ``played`` (the recorded interactions
    replayed, in order, repeats included) and ``recorded`` (this session's, scrubbed as written)
    are plain data, for assertions."""

    def __init__(
        self,
        path: str | Path,
        mode: str = "none",
        match_on: Iterable[str] = DEFAULT_MATCH_ON,
        record_url: str | None = None,
        backend: Backend | None = None,
        into_state: bool = True,
        scrub_numbers: bool = False,
        scrub_bodies: bool = False,
        seed: int | str = 0,
        secrets: Iterable[str] = (),
        placeholders: Mapping[str, str] | None = None,
    ) -> None:
        if mode not in RECORD_MODES:
            raise ValueError(f"mode: {mode!r} is not a record mode; choose from {', '.join(RECORD_MODES)}")
        self.path = Path(path)
        self.mode = mode
        self.matcher = Matcher(match_on)
        self.record_url = record_url.rstrip("/") if record_url else None
        self.backend = backend
        self.into_state = into_state
        self._options: dict[str, Any] = {
            "scrub_numbers": scrub_numbers,
            "scrub_bodies": scrub_bodies,
            "seed": seed,
            "secrets": tuple(secrets),
            "placeholders": dict(placeholders or {}),
        }
        self.played: list[serialize.Interaction] = []
        self.replaying = self.recording = False
        self._loaded: list[serialize.Interaction] = []
        self._canon: list[dict[str, Any]] = []
        self._done: set[int] = set()
        self._raw: list[tuple[dict[str, Any], dict[str, Any], str]] = []
        self._cache: tuple[tuple[int, int, int], list[serialize.Interaction]] | None = None
        self._existed = False
        self._lock = threading.Lock()
        self._mock: responses.RequestsMock | None = None
        self._bases: list[str] = []
        self.scrubber = Scrubber(environ={}, **self._options)
        self._forwarder = Forwarder(self.record_url, [])

    # What the cassette holds --------------------------------------------------------------
    @property
    def recorded(self) -> list[serialize.Interaction]:
        """This session's recordings, scrubbed as they are written."""
        scrubber = self.scrubber
        with self._lock:
            key = (len(self._raw), len(scrubber.secrets), len(scrubber.users))
            if self._cache is not None and self._cache[0] == key:
                return self._cache[1]
            numbering: dict[str, str] = {}
            out = [
                {
                    "request": scrubber.scrub_request(request, numbering),
                    "response": scrubber.scrub_response(response, numbering),
                    "recorded_at": at,
                }
                for request, response, at in self._raw
            ]
            self._cache = (key, out)
            return out

    @property
    def interactions(self) -> list[serialize.Interaction]:
        return [*self._loaded, *self.recorded]

    # Activation ------------------------------------------------------------------------------
    def start(self) -> Cassette:
        if self._mock is not None:
            raise RuntimeError(f"the cassette {self.path} is already in use")
        api_base = (os.environ.get("TWILIO_API_BASE") or "").rstrip("/")
        # URLs under these stand for Twilio's: the SDK sends there with ``api_base`` set.
        self._bases = [b for b in dict.fromkeys((api_base, self.record_url or "")) if b]
        self._existed = self.path.exists()
        self._loaded = serialize.load(self.path) if self._existed and self.mode != "rewrite" else []
        self.replaying = self.mode in ("none", "new_episodes") or (self.mode == "once" and self._existed)
        self.recording = self.mode in ("new_episodes", "all", "rewrite") or (
            self.mode == "once" and not self._existed
        )
        self.scrubber = Scrubber(environ=os.environ, bases=self._bases, **self._options)
        self.scrubber.learn(self._loaded)
        self._canon = [canonical(item["request"]) for item in self._loaded]
        self._done, self._raw, self._cache, self.played = set(), [], None, []
        self._forwarder = Forwarder(self.record_url, self._bases)
        if self.backend is not None and self.into_state:
            from twilio_mock.cassettes.state import load_into

            load_into(self.backend, self._loaded, self.scrubber.unscrub)
        # Inside another ``responses`` mock, what is not Twilio's goes on to it.
        outer = HTTPAdapter.send if getattr(HTTPAdapter.send, "__module__", None) == "responses" else None
        if outer is not None:
            mock = responses.RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=outer)
        else:
            mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        mock.add(_TwilioHosts(self._handle, self._bases))
        mock.add_passthru(re.compile(r".*"))
        mock.start()
        self._mock = mock
        return self

    def stop(self) -> None:
        """Stop answering; write the file when something was recorded."""
        mock, self._mock = self._mock, None
        if mock is None:
            return
        mock.stop(allow_assert=False)
        mock.reset()
        if self._raw:
            serialize.write(self.path, self.interactions)
        elif self.mode == "rewrite" and self._existed:
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> Cassette:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Requests --------------------------------------------------------------------------------
    def _handle(self, request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        url = str(request.url or "")
        base = _base_of(url, self._bases)
        plain = to_mock_request(request, base)
        if base:  # stored as the Twilio URL it stands for
            product, _, rest = url[len(base) + 1 :].partition("/")
            url = f"https://{product.lower()}.twilio.com/{rest}"
        raw = serialize.decode_request(plain.method, url, dict(request.headers), plain.body)
        with self._lock:
            self.scrubber.observe_request(raw)
            sent = canonical(self.scrubber.scrub_request(raw, {}))
            if self.replaying:
                index = self._find(sent)
                if index is not None:
                    self._done.add(index)
                    interaction = self._loaded[index]
                    self.played.append(interaction)
                    return serialize.encode_response(self.scrubber.unscrub(interaction["response"]))
            if not self.recording and self.backend is None:
                raise CassetteError(self._refusal(raw, sent))
        if not self.recording:
            assert self.backend is not None
            answer = self.backend.handle(plain)
            decoded = serialize.decode_response(answer.status, dict(answer.headers), answer.body)
            return serialize.encode_response(self.scrubber.unscrub(decoded))
        status, headers, body = self._forwarder.send(
            plain.method, str(request.url), dict(request.headers), plain.body
        )
        response = serialize.decode_response(status, headers, body)
        with self._lock:
            self.scrubber.observe_response(response)
            self._raw.append((raw, response, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
        return status, headers, body

    def _find(self, sent: dict[str, Any]) -> int | None:
        """The first matching interaction not played yet; after the last, the last."""
        found = [i for i, recorded in enumerate(self._canon) if self.matcher.matches(recorded, sent)]
        if not found:
            return None
        return next((i for i in found if i not in self._done), found[-1])

    def _refusal(self, raw: dict[str, Any], sent: dict[str, Any]) -> str:
        shown = self.scrubber.scrub_request(raw, {})
        lines = [
            f"twilio_mock.cassettes: no interaction recorded in {self.path} matches this request "
            f"(mode {self.mode!r}, matching on {', '.join(self.matcher.fields)}):",
            f"  {describe(shown)}",
        ]
        nearest = self.matcher.nearest(self._canon, sent)
        if not self._existed:
            lines.append("The cassette file does not exist.")
        elif nearest is None:
            lines.append("The cassette holds no interactions.")
        else:
            lines.append(f"The nearest recorded request (#{nearest + 1} of {len(self._canon)}):")
            lines.append(f"  {describe(self._loaded[nearest]['request'])}")
            differences = self.matcher.differences(self._canon[nearest], sent)
            if differences:
                lines.append("differs in:")
                lines.extend(
                    f"  {field}: recorded {mine}, sent {theirs}" for field, mine, theirs in differences
                )
            else:
                lines.append("It matches, but only on fields outside match_on.")
        lines.append(f"To record it, run with {RECORD_HINT}.")
        return "\n".join(lines)


def use_cassette(
    path: str | Path,
    mode: str = "none",
    match_on: Iterable[str] = DEFAULT_MATCH_ON,
    record_url: str | None = None,
    backend: Backend | None = None,
    into_state: bool = True,
    scrub_numbers: bool = False,
    scrub_bodies: bool = False,
    seed: int | str = 0,
    secrets: Iterable[str] = (),
    placeholders: Mapping[str, str] | None = None,
) -> Cassette:
    """Replay or record every ``requests`` call to Twilio in the YAML file ``path``.

    ``mode``: one of :data:`~twilio_mock.cassettes.RECORD_MODES`. ``match_on``: the request
    fields compared (:mod:`~twilio_mock.cassettes.matching`). ``record_url``: record against a
    ``twilio-mock serve`` instead of the real Twilio (``<record_url>/<path>``, the Twilio host in
    ``Host``, which the server answers as; see :mod:`~twilio_mock.cassettes.forwarding`).
    ``backend``: answers what the cassette does not hold, loaded first with the cassette's
    records unless ``into_state=False`` (:mod:`~twilio_mock.cassettes.state`).
    ``scrub_numbers``/``scrub_bodies``: fake E.164 numbers and message bodies (faker, ``seed``;
    replay with the same seed). ``secrets``: more strings never to write; ``placeholders``:
    ``{real: placeholder}`` swapped when writing and back when replaying."""
    return Cassette(
        path,
        mode,
        match_on,
        record_url,
        backend,
        into_state,
        scrub_numbers,
        scrub_bodies,
        seed,
        secrets,
        placeholders,
    )
