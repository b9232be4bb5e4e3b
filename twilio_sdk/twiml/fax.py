"""Fax TwiML: ``FaxResponse`` with ``<Receive>``."""

from __future__ import annotations

from typing import Any

from twilio_sdk.twiml.dialect import Dialect, kind
from twilio_sdk.twiml.element import Element

__all__ = ["FAX", "FaxResponse"]

FAX = Dialect(
    "fax",
    __name__,
    [
        kind("Response", children="Receive"),
        kind("Receive", "", "action method media_type page_size store_media"),
    ],
)


class FaxResponse(Element):
    """``<Response>`` for incoming faxes: ``response.receive(action=...)``."""

    __slots__ = ()
    kind = FAX.root
    dialect = FAX

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)


FAX.register(FaxResponse)


def __getattr__(name: str) -> type[Element]:
    if name in FAX.kinds:
        return FAX.element_class(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
