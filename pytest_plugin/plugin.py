"""Fixtures, markers and options over ``twilio_mock`` (which does the work).

Loaded by every pytest run where twilio-toolkit is installed, so it imports nothing but pytest
until a fixture runs, and stays inert when the ``mock`` extra is missing: no guard, and the
fixtures say what to install.

- ``twilio_mock``: a fresh fake Twilio per test, answering every ``requests`` and ``aiohttp``
  call to a Twilio host (region and edge variants too); ``TWILIO_ACCOUNT_SID`` and
  ``TWILIO_AUTH_TOKEN`` are its credentials for the test, and the variables that would send
  traffic elsewhere (``TWILIO_API_BASE``, ``TWILIO_REGION``, ``TWILIO_EDGE``, an API key) are
  cleared. Returns the ``twilio_mock.TwilioMock`` handle (``messages()``, ``assert_sent()``...).
- ``twilio_client``: a ``twilio_sdk.Client`` bound to that fake in-process.
- ``twilio_server``: a real ``twilio-mock serve`` on a free loopback port, one per session (per
  xdist worker), reset before each test that uses it.
- ``@pytest.mark.twilio_mock(seed=..., state=..., account_sid=..., auth_token=..., passthrough=...)``
  configures the fake (also ``faults=[{...}]`` and ``concurrency=N``: :mod:`twilio_mock.core.faults`);
  ``@pytest.mark.twilio_cassette(name=None, **options)`` replays or records a
  cassette (``twilio_mock.cassettes.use_cassette``), with or without the fixture.
- ``TWILIO_HYPOTHESIS_PROFILE=ci|dev|deep`` loads that hypothesis profile
  (:mod:`twilio_mock.hypothesis_profiles`) for the run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from pytest_plugin import settings

CLEARED = ("TWILIO_API_BASE", "TWILIO_REGION", "TWILIO_EDGE", "TWILIO_API_KEY", "TWILIO_API_SECRET")
MOCK_OPTIONS = {
    "seed",
    "state",
    "account_sid",
    "auth_token",
    "test_account_sid",
    "test_auth_token",
    "passthrough",
}
MESSAGING_OPTIONS = ("require_owned_sender", "delivery_rules", "delays", "throughput")  # backend.messaging
MOCK_OPTIONS.update(MESSAGING_OPTIONS)
VOICE_OPTIONS = ("voice_rules", "require_owned_caller_id")  # backend.voice
MOCK_OPTIONS.update(VOICE_OPTIONS)
FAULT_OPTIONS = ("faults", "concurrency")  # backend.faults, backend.limits
MOCK_OPTIONS.update(FAULT_OPTIONS)
_NEEDS_MOCK = "the twilio_mock fixtures need the mock extra: pip install 'twilio-toolkit[mock]'"


def pytest_addoption(parser: pytest.Parser) -> None:
    settings.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "twilio_mock(seed=None, state=None, **backend_options): configure the twilio_mock fixture's fake Twilio",
    )
    config.addinivalue_line(
        "markers",
        "twilio_cassette(name=None, mode=None, **options): replay (or record) Twilio traffic from a cassette",
    )
    if os.environ.get("TWILIO_HYPOTHESIS_PROFILE") and _mock_installed():
        from twilio_mock import hypothesis_profiles  # ci / dev / deep, named by the variable

        hypothesis_profiles.load()
    if settings.option(config, "real") or not _mock_installed():
        return
    from twilio_mock.ways_in.guard import Guard

    config.stash[_GUARD] = Guard(block_network=bool(settings.option(config, "block-network"))).install()


def pytest_unconfigure(config: pytest.Config) -> None:
    guard = config.stash.get(_GUARD, None)
    if guard is not None:
        guard.uninstall()


_GUARD = pytest.StashKey[Any]()


def _mock_installed() -> bool:
    try:
        import responses  # noqa: F401
        import werkzeug  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    guard = item.config.stash.get(_GUARD, None)
    before = len(guard.blocked) if guard is not None else 0
    yield
    if guard is not None and len(guard.blocked) > before:
        item.stash[_REFUSED] = guard.blocked[before:]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A test whose request the guard refused fails, even if it caught the error."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    refused = item.stash.get(_REFUSED, None)
    if call.when == "call" and report.passed and refused:
        report.outcome = "failed"
        report.longrepr = "twilio_mock: the guard refused requests this test made:\n  " + "\n  ".join(refused)


_REFUSED = pytest.StashKey[list[str]]()


@pytest.fixture
def twilio_mock_config() -> dict[str, Any]:
    """Override (at any scope) to give every ``twilio_mock`` fixture in reach these options."""
    return {}


@pytest.fixture
def twilio_mock(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, twilio_mock_config: dict[str, Any]
) -> Iterator[Any]:
    if not _mock_installed():
        pytest.fail(_NEEDS_MOCK, pytrace=False)
    from twilio_mock import Backend, TwilioMock

    config = request.config
    options: dict[str, Any] = {
        "seed": settings.option(config, "mock-seed"),
        "state": settings.option(config, "mock-state"),
    }
    options.update(twilio_mock_config)
    options.update(settings.marked(request.node, "twilio_mock")[1])
    unknown = set(options) - MOCK_OPTIONS
    if unknown:
        raise pytest.UsageError(
            f"twilio_mock: unknown option(s) {sorted(unknown)}; known: {sorted(MOCK_OPTIONS)}"
        )
    seed, state, passthrough = options.pop("seed"), options.pop("state"), options.pop("passthrough", False)
    seed = int(seed) if isinstance(seed, str) and re.fullmatch(r"-?\d+", seed) else seed
    messaging: dict[str, Any] = {k: options.pop(k) for k in MESSAGING_OPTIONS if k in options}
    voice: dict[str, Any] = {k: options.pop(k) for k in VOICE_OPTIONS if k in options}
    faults: dict[str, Any] = {k: options.pop(k) for k in FAULT_OPTIONS if k in options}
    backend = Backend(seed=seed, **{k: v for k, v in options.items() if v is not None})
    if state:
        backend.load(settings.find_file(config, request.node, str(state)))
    _set_messaging(backend, messaging)
    _set_voice(backend, voice)
    _set_faults(backend, faults)
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", backend.account_sid)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", backend.auth_token)
    handle = TwilioMock(backend, passthrough=passthrough)
    with handle:
        yield handle


def _set_messaging(backend: Any, options: dict[str, Any]) -> None:
    """The marker's messaging settings: ``require_owned_sender``, ``delays`` and ``throughput``
    (mappings merged over the defaults) and ``delivery_rules`` (a list of rule mappings)."""
    messaging = backend.messaging
    if options.get("require_owned_sender") is not None:
        messaging.require_owned_sender = bool(options["require_owned_sender"])
    for name in ("delays", "throughput"):
        given = options.get(name)
        if given:
            unknown = set(given) - set(getattr(messaging, name))
            if unknown:
                known = sorted(getattr(messaging, name))
                raise pytest.UsageError(f"twilio_mock: unknown {name} {sorted(unknown)}; known: {known}")
            getattr(messaging, name).update({k: float(v) for k, v in given.items()})
    for rule in options.get("delivery_rules") or ():
        try:
            messaging.add_rule(rule)
        except (ValueError, TypeError) as exc:
            raise pytest.UsageError(f"twilio_mock: delivery_rules: {exc}") from None


def _set_voice(backend: Any, options: dict[str, Any]) -> None:
    """The marker's voice settings: ``require_owned_caller_id`` and ``voice_rules`` (a list of
    rule mappings: ``to``, ``outcome``, ``after``, ``answered_by``, ``talk``)."""
    voice = backend.voice
    if options.get("require_owned_caller_id") is not None:
        voice.require_owned_caller_id = bool(options["require_owned_caller_id"])
    for rule in options.get("voice_rules") or ():
        try:
            voice.add_rule(rule)
        except (ValueError, TypeError) as exc:
            raise pytest.UsageError(f"twilio_mock: voice_rules: {exc}") from None


def _set_faults(backend: Any, options: dict[str, Any]) -> None:
    """The marker's ``faults`` (a list of fault mappings, :meth:`Faults.add` fields) and
    ``concurrency`` (an int, or a mapping of ``max``, ``account_sid``, ``retry_after``)."""
    for fault in options.get("faults") or ():
        try:
            backend.faults.add_fault(fault)
        except (ValueError, TypeError) as exc:
            raise pytest.UsageError(f"twilio_mock: faults: {exc}") from None
    limit = options.get("concurrency")
    if limit is None:
        return
    given = dict(limit) if isinstance(limit, dict) else {"max": limit}
    unknown = set(given) - {"max", "account_sid", "retry_after"}
    try:
        if unknown:
            raise ValueError(f"unknown field(s) {sorted(unknown)}; known: account_sid, max, retry_after")
        backend.limits.concurrency(given.get("max"), given.get("account_sid"), given.get("retry_after"))
    except (ValueError, TypeError) as exc:
        raise pytest.UsageError(f"twilio_mock: concurrency: {exc}") from None


@pytest.fixture
def twilio_client(twilio_mock: Any) -> Any:
    """A ``twilio_sdk.Client`` bound in-process to the test's fake Twilio."""
    return twilio_mock.client()


@pytest.fixture(scope="session")
def _twilio_server_session(request: pytest.FixtureRequest) -> Iterator[Any]:
    if not _mock_installed():
        pytest.fail(_NEEDS_MOCK, pytrace=False)
    from twilio_mock import Backend
    from twilio_mock.ways_in.server import MockServerApp
    from twilio_mock.ways_in.serving import ServerThread

    seed = settings.option(request.config, "mock-seed")
    server = ServerThread(MockServerApp(Backend(seed=int(seed) if str(seed).lstrip("-").isdigit() else seed)))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def twilio_server(_twilio_server_session: Any) -> Any:
    """A real mock server for code in another process or language: ``url``, ``account_sid``,
    ``auth_token``, ``env`` (the ``TWILIO_*`` variables), ``backend``; fresh for each test."""
    _twilio_server_session.backend.reset()
    return _twilio_server_session


@pytest.fixture(autouse=True)
def _twilio_cassette(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("twilio_cassette") is None:
        yield
        return
    if not _mock_installed():
        pytest.fail(_NEEDS_MOCK, pytrace=False)
    from twilio_mock.cassettes import use_cassette

    config = request.config
    args, options = settings.marked(request.node, "twilio_cassette")
    path = _cassette_path(request, str(options.pop("name", args[0] if args else "")))
    options.setdefault("mode", settings.option(config, "record-mode"))
    options.setdefault("record_url", settings.option(config, "record-url"))
    if options["mode"] != "none" and settings.option(config, "block-network"):
        from twilio_mock.ways_in.guard import LOOPBACK

        if not (options["record_url"] and LOOPBACK.match(str(options["record_url"]))):
            # Recording forwards below the guard: with the network blocked, only a loopback server.
            raise pytest.UsageError(
                "--twilio-block-network: record cassettes only against a loopback --twilio-record-url"
            )
    backend = (
        request.getfixturevalue("twilio_mock").backend if "twilio_mock" in request.fixturenames else None
    )
    with use_cassette(path, backend=backend, **options):
        yield


def _cassette_path(request: pytest.FixtureRequest, name: str) -> Any:
    from pathlib import Path

    module = Path(request.node.path)
    given = settings.option(request.config, "cassette-dir")
    folder = (request.config.rootpath / given) if given else module.parent / "cassettes"
    if name:
        return folder / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    test = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    return folder / module.stem / f"{test}.yaml"
