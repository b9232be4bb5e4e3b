"""``twilio-mock serve``: the mock server on werkzeug's threaded server, with a banner and a log."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from twilio_mock.core.journal import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from twilio_mock.backend import Backend
    from twilio_mock.core.durability import Durability
    from twilio_mock.ways_in.serving import MockHTTPServer

__all__ = ["build_parser", "main"]

DRAIN_TIMEOUT = 10.0  # seconds a stop waits for the requests in flight


class RequestLog:
    """WSGI middleware printing one line per request: method, path, status, milliseconds."""

    def __init__(self, app: WSGIApplication, out: TextIO) -> None:
        self.app, self.out = app, out

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: list[str] = []

        def recording_start(status: str, headers: Any, exc_info: Any = None) -> Any:
            seen.append(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start)
        ms = (time.perf_counter() - started) * 1000
        path = environ.get("RAW_URI") or environ.get("PATH_INFO", "")
        line = f"{environ.get('REQUEST_METHOD', '?'):<6} {path} {seen[0] if seen else '-'} {ms:.1f}ms"
        with contextlib.suppress(OSError, ValueError):  # stdout closed: never break a request
            print(line, file=self.out, flush=True)
        return result


SERVE_DESCRIPTION = """\
Serve a fake Twilio over HTTP: every Twilio host as a path prefix
(http://HOST:PORT/api/2010-04-01/... for api.twilio.com), stateful, offline. The banner
prints the credentials to export. A control plane under /__mock__/ resets, snapshots,
restores, moves the clock and shows the journal; it has no authentication, so it only
answers requests addressed to this server (Host and Origin are checked)."""


CHECK_DESCRIPTION = """\
For every interaction of every *.yaml cassette under DIR, route the request as the mock does
and compare the recorded JSON answer with the API description: unknown fields, missing fields,
wrong JSON types. Exit status 0 when clean, 1 when anything drifted, 2 when DIR or a cassette
cannot be read."""


def _version() -> str:
    try:
        return metadata.version("twilio-toolkit")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twilio-mock", description="A stateful fake Twilio, offline.")
    parser.add_argument("--version", action="version", version=f"twilio-mock {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser(
        "serve",
        help="run the mock Twilio HTTP server",
        description=SERVE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=4010, help="port (default 4010; 0 picks a free one)")
    serve.add_argument("--seed", type=int, default=None, help="seed for deterministic SIDs and values")
    serve.add_argument(
        "--state",
        type=Path,
        default=None,
        metavar="FILE",
        help="durable state: FILE (a JSON snapshot) is loaded at start and every acknowledged write is "
        "logged to FILE.log and fsynced before it is answered, so a kill -9 loses nothing; a clean "
        "stop folds the log into FILE",
    )
    serve.add_argument(
        "--journal-bytes",
        type=_positive,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="memory the request journal may hold, in bytes (default 64 MiB; oldest entries go first)",
    )
    serve.add_argument("--quiet", action="store_true", help="no per-request log lines")
    cassettes = sub.add_parser("cassettes", help="work with recorded cassettes (twilio_mock.cassettes)")
    tasks = cassettes.add_subparsers(dest="task", required=True)
    check = tasks.add_parser(
        "check",
        help="compare recorded answers with the API description",
        description=CHECK_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("dir", type=Path, metavar="DIR", help="folder searched for *.yaml cassettes")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


_EXPOSED = """\
twilio-mock: WARNING: --host {host} is not a loopback address. Anyone who can reach this
  machine on that interface can use the fake Twilio and its control plane, which has no
  authentication: GET /__mock__/credentials and /__mock__/snapshot show every credential,
  POST /__mock__/reset and /__mock__/restore replace the state. Use --host 127.0.0.1 unless
  you mean it."""


def _is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (a name is resolved: every address must be loopback)."""
    name = host.strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return bool(found) and all(ipaddress.ip_address(str(info[4][0])).is_loopback for info in found)


def _load_backend(seed: int | None, state: Path | None, journal_bytes: int = DEFAULT_MAX_BYTES) -> Backend:
    """With ``--seed`` everything is reproducible (SIDs, tokens, a frozen clock from 2025-01-01).
    Without it the clock is real time and SIDs are random, but the main account's and the test
    credentials stay the same from run to run, so exported environment variables keep working."""
    from twilio_mock.backend import Backend

    if seed is not None:
        backend = Backend(seed=seed, journal_bytes=journal_bytes)
    else:
        stable = Backend(seed=0)
        backend = Backend(
            seed=None,
            account_sid=stable.account_sid,
            auth_token=stable.auth_token,
            test_account_sid=stable.test_account_sid,
            test_auth_token=stable.test_auth_token,
            journal_bytes=journal_bytes,
        )
    if state is not None and state.exists() and state.stat().st_size > 0:
        backend.load(state)
    return backend


def _durable(backend: Backend, state: Path, out: TextIO) -> Durability:
    """Load ``state`` and its log, and log every change from now on (``OSError``/``ValueError``
    when they cannot be read)."""
    from twilio_mock.core.durability import Durability, log_path

    durability, recovery = Durability.open(backend, state)
    if recovery.replayed:
        _say(f"twilio-mock: {recovery.replayed} logged changes replayed from {log_path(state)}", out)
    if recovery.dropped:
        print(
            f"twilio-mock: {recovery.dropped} bytes of a torn or corrupt record at the end of "
            f"{log_path(state)} dropped (a write that was never acknowledged)",
            file=sys.stderr,
            flush=True,
        )
    return durability


def _temp_prefix(path: Path) -> str:
    return f".twilio-mock-{path.name}."


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete what saves of ``path`` killed mid-write (SIGKILL, power loss) left beside it:
    ``.twilio-mock-<name>.*.json``, and ``.twilio-mock-XXXXXXXX.json`` of earlier versions."""
    pattern = re.compile(re.escape(_temp_prefix(path)) + r".+\.json$|^\.twilio-mock-[A-Za-z0-9_]{8}\.json$")
    removed = []
    with contextlib.suppress(OSError):  # no directory yet: nothing to clean
        for candidate in path.parent.iterdir():
            if pattern.match(candidate.name) and candidate.is_file():
                with contextlib.suppress(OSError):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def _banner(url: str, backend: Backend, state: Path | None) -> str:
    lines = [
        f"twilio-mock serving a fake Twilio at {url}",
        "",
        f"  Account SID : {backend.account_sid}",
        f"  Auth token  : {backend.auth_token}",
        f"  Phone number: {backend.phone_number}",
        f"  Test SID    : {backend.test_account_sid}   (Twilio's test credentials: magic numbers only)",
        f"  Test token  : {backend.test_auth_token}",
        "",
        "  Point twilio_sdk at it:",
        f"    export TWILIO_ACCOUNT_SID={backend.account_sid}",
        f"    export TWILIO_AUTH_TOKEN={backend.auth_token}",
        f"    export TWILIO_API_BASE={url}",
        "",
        f"  URLs: {url}/<product>/<path>   e.g. {url}/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json",
        f"  Control plane: {url}/__mock__/ (health, credentials, reset, snapshot, restore, clock, journal)",
        f"  Inbox: {url}/ in a browser (messages, calls, webhooks, live; play the phone)",
    ]
    if state is not None:
        lines.append(f"  State file: {state} (durable: every acknowledged write is logged to {state}.log)")
    lines.append("  Ctrl-C to stop.")
    return "\n".join(lines)


def serve(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    from twilio_mock.ways_in.server import MockServerApp
    from twilio_mock.ways_in.serving import Ticker, make_http_server

    if args.state is not None:
        remove_stale_temps(args.state)
    try:
        backend = _load_backend(args.seed, None, args.journal_bytes)
        durability = _durable(backend, args.state, out) if args.state is not None else None
    except (OSError, ValueError) as exc:  # ValueError: a SnapshotError naming the bad field
        print(f"twilio-mock: cannot load state from {args.state}: {exc}", file=sys.stderr)
        return 2
    app: Any = MockServerApp(backend, hosts=[args.host])
    if not args.quiet:
        app = RequestLog(app, out)
    if not _is_loopback(args.host):
        print(_EXPOSED.format(host=args.host), file=sys.stderr, flush=True)
    try:
        server = make_http_server(app, args.host, args.port)
    except OSError as exc:
        hint = " (try --port 0 to pick a free port)" if args.port else ""
        print(f"twilio-mock: cannot listen on {args.host}:{args.port}: {exc}{hint}", file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{server.server_port}"

    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        if stop.is_set():  # a second Ctrl-C: the state is being saved, let it finish
            os.write(2, b"twilio-mock: stopping; the state is saved first\n")
        stop.set()

    # Installed explicitly: a shell starting us in the background sets SIGINT to "ignore".
    # The handlers only set an event, so nothing is interrupted halfway (a save included).
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    serving = threading.Thread(target=server.serve_forever, args=(0.2,), name="twilio-mock", daemon=True)
    ticker = Ticker(backend)
    try:
        print(_banner(url, backend, args.state), file=out, flush=True)
        serving.start()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        ticker.stop()
        _stop(server, serving, durability, args.state, out)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _stop(
    server: MockHTTPServer,
    serving: threading.Thread,
    durability: Durability | None,
    state: Path | None,
    out: TextIO,
) -> None:
    """Stop accepting, answer the requests in flight, close the keep-alive connections, and
    only then compact: the log is folded into the state file, which then holds every write
    answered 2xx (each was durable in the log already)."""
    if serving.is_alive():
        server.shutdown()  # serve_forever returns and closes the listening socket
    server.server_close()
    if not server.drain(timeout=DRAIN_TIMEOUT):
        print(
            f"twilio-mock: requests still running after {DRAIN_TIMEOUT:g} s are answered 503",
            file=sys.stderr,
            flush=True,
        )
    if durability is not None:
        durability.close()
        _say(f"twilio-mock: state saved to {state}", out)
    _say("twilio-mock: stopped", out)


def _say(line: str, out: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):  # stdout closed (piped into head): stop quietly
        print(line, file=out, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "cassettes" and args.task == "check":
        from twilio_mock.cassettes.check import check_dir

        return check_dir(args.dir)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
