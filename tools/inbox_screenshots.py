"""Screenshots of the inbox's main views for the README: ``python tools/inbox_screenshots.py``.

Serves a seeded mock on a free loopback port, has a small app text and call through it (its
webhooks routed in process), then photographs the Threads, Calls and Webhooks views with the
system Chromium (Playwright) into ``docs/inbox/*.png``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"


def ivr_app(environ: dict, start_response: object) -> object:
    """The app: answers texts, and a call with a menu."""
    from werkzeug.wrappers import Request, Response

    request = Request(environ)
    if request.path == "/sms":
        twiml = f"<Response><Message>Thanks! You said: {request.form.get('Body', '')}</Message></Response>"
    elif request.path == "/voice":
        twiml = (
            '<Response><Gather numDigits="1" action="/menu"><Say>Press 1 for sales, 2 for support</Say>'
            "</Gather></Response>"
        )
    elif request.path == "/menu":
        twiml = f"<Response><Say>You pressed {request.form.get('Digits')}</Say><Dial>+15558675399</Dial></Response>"
    else:
        twiml = "<Response/>"
    status = 500 if request.path == "/broken" else 200
    return Response(twiml, status, content_type="text/xml")(environ, start_response)  # type: ignore[arg-type]


def populate(server: object) -> None:
    """Traffic an app causes: sent and received texts, a failure, a call with a Gather."""
    from twilio_sdk import Client

    backend = server.backend  # type: ignore[attr-defined]
    backend.webhooks.route("https://myapp.test", ivr_app)
    client = Client(backend.account_sid, backend.auth_token, api_base=server.url)  # type: ignore[attr-defined]
    number = client.incoming_phone_numbers.list(phone_number=backend.phone_number)[0]
    number.update(sms_url="https://myapp.test/sms", voice_url="https://myapp.test/voice")
    me = backend.phone_number
    client.messages.create(
        to="+15558675310",
        from_=me,
        body="Your order #1234 has shipped",
        status_callback="https://myapp.test/status",
    )
    backend.advance(10)
    backend.messaging.inbound_sms("+15558675310", me, "Great, thanks ☺", [])
    client.messages.create(
        to="+15558675312",
        from_=me,
        body="Ünïcödé – «quotes» and an emoji ☺",
        status_callback="https://myapp.test/broken",
    )
    backend.messaging.fail("+15558675311", error_code=30003)
    client.messages.create(to="+15558675311", from_=me, body="This one will not arrive")
    backend.advance(10)
    backend.voice.answer("+15558675399", after=2, talk=30)
    sid = backend.voice.inbound_call("+15558675310", me)
    backend.advance(2)
    backend.voice.press(sid, "2")
    backend.advance(60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "inbox")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from twilio_mock.backend import Backend
    from twilio_mock.ways_in.serving import serve_in_thread

    args.out.mkdir(parents=True, exist_ok=True)
    with serve_in_thread(Backend(seed=1)) as server, sync_playwright() as play:
        populate(server)
        browser = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 760})
        unicode_thread = urlencode({"thread": f"{server.backend.phone_number} +15558675312"})
        for view, query in (("threads", unicode_thread), ("calls", ""), ("webhooks", "")):
            page.goto(f"{server.url}/__inbox__/{view}?{query}")
            page.wait_for_selector("#live.on")
            path = args.out / f"{view}.png"
            page.screenshot(path=str(path))
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} kB)")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
