"""Where our time goes: cProfile of ``twilio_sdk`` on one benchmark path, or ``-X importtime``
for startup. Usage: ``python benchmarks/hotspots.py {startup,create_stub,create_responses,list_dates}``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(HERE.parent))

from benchmarks import payloads as p  # noqa: E402
from benchmarks.startup import _sandbox, startup_code  # noqa: E402
from benchmarks.transports import OursStub  # noqa: E402


def importtime(runs: int = 5) -> None:
    """Median ``-X importtime`` cumulative ms of each module imported after ``site``."""
    per_module: dict[str, list[float]] = {}
    order: list[str] = []
    with _sandbox() as (cwd, env):
        code = startup_code("ours")
        subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, check=True)
        for _ in range(runs):
            err = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", code],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
            ).stderr
            after_site = err.split(" | site\n", 1)[-1]
            for line in after_site.splitlines():
                _, cumulative, raw_name = line.split("|")
                depth = (len(raw_name) - len(raw_name.lstrip()) - 1) // 2
                key = f"{'  ' * depth}{raw_name.strip()}"
                if key not in per_module:
                    order.append(key)
                per_module.setdefault(key, []).append(int(cumulative) / 1000)
    print(f"-X importtime after site, cumulative ms (median of {runs}); depth <= 1 shown")
    for key in order:
        if key.startswith("    "):
            continue
        values = sorted(per_module[key])
        print(f"{values[len(values) // 2]:8.2f}  {key}")


def profile(label: str, work: Callable[[], Any], calls: int, top: int) -> None:
    work()
    started = time.perf_counter()
    work()
    print(f"{label}: {(time.perf_counter() - started) / calls * 1e6:.1f} us per op unprofiled")
    profiler = cProfile.Profile()
    profiler.runcall(work)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("what", choices=["startup", "create_stub", "create_responses", "list_dates"])
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    if args.what == "startup":
        importtime()
        return
    from twilio_sdk import Client

    def creates(client: Any, n: int) -> Callable[[], Any]:
        return lambda: [client.messages.create(to=p.TO, from_=p.FROM, body=p.BODY) for _ in range(n)]

    if args.what == "create_stub":
        stub = OursStub({"POST": (201, p.message_json())})
        profile(
            args.what, creates(Client(p.ACCOUNT_SID, p.AUTH_TOKEN, http_client=stub), 20000), 20000, args.top
        )
    elif args.what == "create_responses":
        import responses

        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, p.MESSAGES_URL, body=p.message_json(), status=201)
            profile(args.what, creates(Client(p.ACCOUNT_SID, p.AUTH_TOKEN), 2000), 2000, args.top)
    else:
        stub = OursStub({"GET": (200, p.page_json())})
        client = Client(p.ACCOUNT_SID, p.AUTH_TOKEN, http_client=stub)

        def lists() -> None:
            for _ in range(20):
                for record in client.messages.list(limit=p.PAGE_SIZE):
                    record.date_created  # noqa: B018

        profile(args.what, lists, 20, args.top)


if __name__ == "__main__":
    main()
