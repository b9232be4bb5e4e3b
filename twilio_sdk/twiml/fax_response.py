"""``from twilio_sdk.twiml.fax_response import FaxResponse, ...``: the official import path."""

from typing import Any

from twilio_sdk.twiml import fax as _fax
from twilio_sdk.twiml.fax import FaxResponse

__all__ = ["FaxResponse"]


def __getattr__(name: str) -> Any:
    return getattr(_fax, name)
