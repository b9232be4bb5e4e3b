"""Opt-in request logging on the ``twilio_sdk`` logger, with secrets redacted."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging

NAME = "twilio_sdk"
SECRET_HEADERS = {"authorization", "twilio-client-validation", "x-twilio-signature", "cookie"}
SECRET_NAME = re.compile(r"(token|secret|password|signature|credential|code_verifier|private)", re.I)
REDACTED = "***"
_handler_added = False


def configure(level: str | int | None) -> None:
    """Set the SDK logger's level; if nothing anywhere would print it, give the SDK
    logger (only) a stderr handler. The root logger is never touched."""
    global _handler_added
    if level is None:
        return
    import logging

    numeric = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    logger = logging.getLogger(NAME)
    logger.setLevel(numeric)
    if not _handler_added and not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s twilio_sdk %(levelname)s %(message)s"))
        logger.addHandler(handler)
        _handler_added = True


_logger: logging.Logger | None = None


def get() -> logging.Logger:
    """The SDK logger (``logging`` is imported on first use, not at import time)."""
    global _logger
    if _logger is None:
        import logging

        _logger = logging.getLogger(NAME)
    return _logger


def redact_params(params: Any, secrets: tuple[str, ...] = ()) -> Any:
    if not params:
        return params
    items = params.items() if isinstance(params, dict) else []
    return {k: (REDACTED if SECRET_NAME.search(str(k)) else _scrub(v, secrets)) for k, v in items}


def redact_headers(headers: dict[str, str] | None) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in (headers or {}).items()}


def _scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        for s in secrets:
            if s and s in value:
                value = value.replace(s, REDACTED)
    elif isinstance(value, list):
        return [_scrub(v, secrets) for v in value]
    return value


def scrub_text(text: str, secrets: tuple[str, ...]) -> str:
    return str(_scrub(text, secrets))
