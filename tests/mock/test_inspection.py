"""The handle's view of webhooks: every delivery with its signature checked, filters, and the
assertions that print what was delivered when they fail."""

from __future__ import annotations

from typing import Any

import pytest

from twilio_mock import mock


def _ok(environ: Any, start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response/>"]


def test_webhooks_are_listed_with_their_signature_checked() -> None:
    with mock(seed=1) as twilio:
        twilio.webhooks.route("https://app.test", _ok)
        token = twilio.auth_token
        twilio.backend.webhooks.deliver(
            "https://app.test/status",
            [("MessageStatus", "sent")],
            token,
            account_sid=twilio.account_sid,
            event="e",
        )
        twilio.backend.webhooks.deliver(
            "https://app.test/status",
            [("MessageStatus", "sent")],
            "not-the-token",
            account_sid=twilio.account_sid,
            event="e",
        )
        good, forged = twilio.webhooks(MessageStatus="sent")
        assert good.signature_valid is True and forged.signature_valid is False
        assert list(twilio.webhooks) == [good, forged]
        assert twilio.webhooks(event="other") == []
        with pytest.raises(AssertionError, match="bad signature"):
            twilio.assert_delivered(MessageStatus="sent")
        with pytest.raises(AssertionError, match="webhooks delivered \\(2\\)"):
            twilio.assert_not_delivered(url_contains="/status")


def test_advance_moves_the_fakes_clock() -> None:
    with mock(seed=1) as twilio:
        start = twilio.backend.clock.now()
        assert twilio.advance(90) == start + 90
