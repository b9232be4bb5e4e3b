"""The one error a cassette raises."""

from __future__ import annotations

from requests.exceptions import ConnectionError as RequestsConnectionError

__all__ = ["CassetteError"]


class CassetteError(RequestsConnectionError):
    """A request the cassette cannot answer, or a cassette file it cannot use.

    A ``requests`` ``ConnectionError``, so it comes out of the call that made the request the
    way a refused connection would (the SDKs wrap it as their transport error)."""
