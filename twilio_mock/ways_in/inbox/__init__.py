"""The inbox: a web page over the mock's state, served by ``twilio-mock serve`` at its root URL
(as Mailpit's is for e-mail). Threads, calls, webhooks, Verify codes and the request journal,
with live updates, and a phone to play: inbound SMS and calls, Gather input, delivery failures,
the clock and reset, through the control plane."""

from __future__ import annotations

from twilio_mock.ways_in.control import INBOX_PREFIX
from twilio_mock.ways_in.inbox.page import Inbox

__all__ = ["INBOX_PREFIX", "Inbox"]
