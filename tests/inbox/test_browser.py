"""The inbox in a real browser: headless Chromium (the system's, driven by Playwright) against a
served mock whose webhooks go into a tiny app.

Without Chromium or Playwright they are skipped, saying what is missing and how to install it,
unless ``TWILIO_TOOLKIT_REQUIRE_BROWSER=1`` (``.ci/run`` sets it and installs both): then they
fail. The same rule as the Node test's ``TWILIO_TOOLKIT_REQUIRE_NODE``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.inbox.helpers import APP, CUSTOMER, wire
from twilio_mock.backend import Backend
from twilio_mock.ways_in.serving import ServerThread, serve_in_thread
from twilio_sdk import Client

CHROMIUM = os.environ.get("TWILIO_TOOLKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
WAIT = 10_000  # ms an expectation waits for the page


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set TWILIO_TOOLKIT_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing is not None:
        if os.environ.get("TWILIO_TOOLKIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the inbox's browser tests need a browser: {missing}", pytrace=False)
        pytest.skip(f"{missing} (set TWILIO_TOOLKIT_REQUIRE_BROWSER=1 to make this a failure)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        launched = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with serve_in_thread(Backend(seed=1)) as running:
        wire(running.backend)
        yield running


@pytest.fixture
def page(browser: Any, server: ServerThread) -> Iterator[Any]:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    opened = context.new_page()
    opened.on("dialog", lambda dialog: dialog.accept())
    opened.goto(server.url + "/")
    expect(opened.locator("#live")).to_have_text("live")
    opened.evaluate("window.__same_page = true")
    yield opened
    context.close()


def the_app(server: ServerThread) -> Client:
    """The developer's app: our SDK pointed at the served mock (over HTTP)."""
    return Client(server.account_sid, server.auth_token, api_base=server.url)


def same_page(page: Any) -> None:
    assert page.evaluate("window.__same_page") is True, "the page reloaded"


def test_a_message_the_app_sends_shows_up_live_and_its_status_moves(page: Any, server: ServerThread) -> None:
    from playwright.sync_api import expect

    threads = page.locator(".thread-list li")
    expect(threads).to_have_count(0)
    the_app(server).messages.create(to=CUSTOMER, from_=server.phone_number, body="Your code is 1234")
    expect(threads).to_have_count(1)
    expect(threads.first).to_contain_text("Your code is 1234")
    expect(threads.first).to_contain_text("queued")
    page.fill("#clock-form [name=seconds]", "30")
    page.click("#clock-form button")
    expect(threads.first.locator(".status")).to_have_text("delivered")
    expect(page.locator("section.thread .history")).to_contain_text("queued")
    expect(page.locator("section.thread .history")).to_contain_text("delivered")
    same_page(page)


def test_a_reply_from_the_page_reaches_the_apps_webhook_and_its_twiml_answer(
    page: Any, server: ServerThread
) -> None:
    from playwright.sync_api import expect

    page.fill("#sms-form [name=Body]", "hello there")
    page.click("#sms-form button")
    expect(page.locator("#result")).to_contain_text("webhooks: 200; replies sent: 1")
    thread = page.locator("section.thread")
    expect(thread.locator(".message.in .body")).to_have_text("hello there")
    expect(thread.locator(".message.out .body")).to_have_text("You said hello there")  # the app's TwiML
    same_page(page)
    page.click("nav >> text=Webhooks")
    delivery = page.locator("article.delivery").filter(has_text=f"{APP}/sms")
    expect(delivery).to_contain_text("message.inbound")
    expect(delivery.locator(".sig")).to_have_text("signature valid")
    expect(delivery.locator(".code")).to_have_text("200")


def test_a_call_placed_from_the_page_is_answered_at_its_gather(page: Any, server: ServerThread) -> None:
    from playwright.sync_api import expect

    page.click("nav >> text=Calls")
    page.click("#call-form button")
    expect(page.locator("#result")).to_contain_text("Calling: CA")
    call = page.locator("article.call").first
    expect(call).to_contain_text("Press 1")
    call.locator("button.answer").click()
    sid = page.input_value("#gather-form [name=CallSid]")
    assert sid.startswith("CA") and sid in call.inner_text()
    page.fill("#gather-form [name=Digits]", "1")
    page.click("#gather-form button")
    expect(page.locator("#result")).to_contain_text(f"Answered {sid}")
    call = page.locator(f'article.call[data-sid="{sid}"]')  # its Dial leg is now the newest call
    expect(call.locator(".transcript")).to_contain_text("You pressed 1")
    expect(call.locator(".transcript")).to_contain_text("digits 1")


def test_a_delivery_failure_set_from_the_page_shows_its_error(page: Any, server: ServerThread) -> None:
    from playwright.sync_api import expect

    page.fill("#fail-form [name=to]", "+15558675311")
    page.select_option("#fail-form [name=error_code]", "30003")
    page.click("#fail-form button")
    expect(page.locator("#result")).to_contain_text("now end undelivered (30003)")
    the_app(server).messages.create(to="+15558675311", from_=server.phone_number, body="lost")
    page.click("#clock-form button")
    expect(page.locator("section.thread .error")).to_contain_text("30003: Unreachable destination handset")


def test_an_xss_payload_stays_text(page: Any, server: ServerThread) -> None:
    from playwright.sync_api import expect

    payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
    server.inbound_sms("+15558675312", body=payload)
    body = page.locator("section.thread .message.in .body")
    expect(body).to_have_text(payload)
    assert page.locator("section.thread img[src=x]").count() == 0
    assert page.evaluate("window.__xss") is None
    page.fill(".search input[name=q]", "onerror")
    page.click(".search button")
    expect(page.locator(".search-results .body")).to_have_text(payload)
    assert page.evaluate("window.__xss") is None


def test_a_spoken_answer_from_the_page_reaches_a_speech_gather(page: Any, server: ServerThread) -> None:
    from playwright.sync_api import expect

    sdk = the_app(server)
    number = sdk.incoming_phone_numbers.list(phone_number=server.phone_number)[0]
    number.update(voice_url=f"{APP}/speech")
    page.click("nav >> text=Calls")
    page.click("#call-form button")
    expect(page.locator("#result")).to_contain_text("Calling: CA")
    sid = page.input_value("#gather-form [name=CallSid]")  # the call just placed
    page.fill("#gather-form [name=SpeechResult]", "opening hours")
    page.click("#gather-form button")
    expect(page.locator(f'article.call[data-sid="{sid}"] .transcript')).to_contain_text(
        "You said opening hours"
    )


def test_reset_from_the_page_forgets_everything(page: Any, server: ServerThread) -> None:
    from playwright.sync_api import expect

    the_app(server).messages.create(to=CUSTOMER, from_=server.phone_number, body="soon gone")
    expect(page.locator(".thread-list li")).to_have_count(1)
    page.click("#reset-form button")  # the confirmation dialog is accepted
    expect(page.locator("#result")).to_have_text("Reset: everything forgotten")
    expect(page.locator(".thread-list li")).to_have_count(0)
    assert server.messages() == []
