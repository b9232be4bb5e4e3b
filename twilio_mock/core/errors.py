"""Twilio's error bodies and codes, as data.

Every error the mock answers with is a :class:`MockError`; ``body()`` is Twilio's legacy
shape ``{code, message, more_info, status}`` (reference/twilio-facts.md §1.1).
"""

from __future__ import annotations

from typing import Any

MORE_INFO = "https://www.twilio.com/docs/errors/{code}"

# Parameter-specific codes Twilio uses instead of the generic 20001, keyed by
# (domain, resource path template, wire name) -> {"missing"|"invalid": (code, message)}.
# ``{value}`` in a message is replaced by the (shortened) value the client sent.
PARAM_CODES: dict[tuple[str, str, str], dict[str, tuple[int, str]]] = {
    ("api", "Accounts/{AccountSid}/Messages", "To"): {
        "missing": (21604, "A 'To' phone number is required."),
        "invalid": (21211, "The 'To' number {value} is not a valid phone number."),
    },
    ("api", "Accounts/{AccountSid}/Messages", "From"): {
        "missing": (21603, "A 'From' phone number is required."),
        "invalid": (21212, "The 'From' number {value} is not a valid phone number or shortcode."),
    },
    ("api", "Accounts/{AccountSid}/Messages", "Body"): {
        "missing": (21602, "Message body is required."),
    },
    ("api", "Accounts/{AccountSid}/Calls", "To"): {
        "missing": (21201, "No 'To' number is specified"),
        "invalid": (21217, "Phone number does not appear to be valid"),
    },
    ("api", "Accounts/{AccountSid}/Calls", "From"): {
        "invalid": (21212, "The 'From' number {value} is not a valid phone number or shortcode."),
    },
}

# Codes used for a whole domain when a parameter value is invalid.
DOMAIN_INVALID_CODES = {"verify": (60200, "Invalid parameter: {name}")}


class MockError(Exception):
    """An error response: HTTP ``status``, Twilio ``code``, ``message`` and extra keys."""

    def __init__(
        self, status: int, code: int, message: str, headers: dict[str, str] | None = None, **extra: Any
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra
        self.path = ""  # a 404: the path, and the URLs the request probably meant
        self.near: list[str] = []

    def body(self) -> dict[str, Any]:
        out = {
            "code": self.code,
            "message": self.message,
            "more_info": MORE_INFO.format(code=self.code),
            "status": self.status,
        }
        out.update(self.extra)
        return out


def short(value: Any, limit: int = 64) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def not_found(path: str, near: list[str] | None = None) -> MockError:
    """Twilio's 404; ``near`` (URLs the request probably meant) is added to the message and, one
    per comma, to the ``X-Mock-Nearest-Routes`` header."""
    message = f"The requested resource {short(path, 300)} was not found"
    if not near:
        error = MockError(404, 20404, message)
    else:
        joined = ", ".join(near)
        error = MockError(
            404, 20404, f"{message}. Nearest routes: {joined}", {"X-Mock-Nearest-Routes": joined}
        )
    error.path, error.near = path, list(near or [])
    return error


def authenticate() -> MockError:
    return MockError(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})


def test_credentials() -> MockError:
    return MockError(403, 20008, "Resource not accessible with Test Account Credentials")


def method_not_allowed(method: str, path: str) -> MockError:
    return MockError(405, 20004, f"Method not allowed: {short(method, 20)} {short(path, 300)}")


def page_size_too_large(size: Any) -> MockError:
    return MockError(400, 20007, f"Page Size {short(size, 20)} is too large; the maximum is 1000")


def internal() -> MockError:
    return MockError(500, 20500, "An internal server error has occurred")


def missing_param(domain: str, template: str, names: list[str], body: bool = True) -> MockError:
    """A required parameter (or one of a group) is absent."""
    for name in names:
        special = PARAM_CODES.get((domain, template, name), {}).get("missing")
        if special:
            return MockError(400, special[0], special[1])
    where = " in the post body" if body else ""
    return MockError(400, 20001, f"Missing required parameter {' or '.join(names)}{where}")


def invalid_param(domain: str, template: str, name: str, value: Any, reason: str = "") -> MockError:
    """A parameter value has the wrong type, enum value or format."""
    special = PARAM_CODES.get((domain, template, name), {}).get("invalid")
    if special:
        return MockError(400, special[0], special[1].format(value=short(value), name=name))
    by_domain = DOMAIN_INVALID_CODES.get(domain)
    if by_domain:
        return MockError(400, by_domain[0], by_domain[1].format(name=name, value=short(value)))
    detail = f" ({reason})" if reason else ""
    return MockError(400, 20001, f"Invalid parameter {name}: {short(value)!r}{detail}")
