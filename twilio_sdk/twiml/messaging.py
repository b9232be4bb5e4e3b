"""Messaging TwiML: ``MessagingResponse`` with ``<Message>`` (``<Body>``, ``<Media>``) and ``<Redirect>``."""

from __future__ import annotations

from typing import Any

from twilio_sdk.twiml.dialect import Dialect, kind
from twilio_sdk.twiml.element import Element

__all__ = ["MESSAGING", "MessagingResponse"]

MESSAGING = Dialect(
    "messaging",
    __name__,
    [
        kind("Response", children="Message Redirect"),
        kind("Message", "body?", "to from_ action method status_callback", children="Body Media"),
        kind("Redirect", "url", "method"),
        kind("Body", "message"),
        kind("Media", "url"),
    ],
)


class MessagingResponse(Element):
    """``<Response>`` for messages: ``response.message("hi")``, ``response.redirect(url)``."""

    __slots__ = ()
    kind = MESSAGING.root
    dialect = MESSAGING

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)


MESSAGING.register(MessagingResponse)


def __getattr__(name: str) -> type[Element]:
    if name in MESSAGING.kinds:
        return MESSAGING.element_class(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
