"""Webhooks out of the fake Twilio (:mod:`~twilio_mock.webhooks.delivery`), plugged into a
backend as ``backend.webhooks``; behaviours reach them with :func:`webhooks_of`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from twilio_mock.core.backend import Core
    from twilio_mock.webhooks.delivery import Webhooks


def install(core: Core, token_of: Callable[[str], str | None] | None = None) -> Webhooks:
    """Plug webhooks into ``core``; ``token_of`` gives an account's auth token, to check the
    signature of every delivery with."""
    from twilio_mock.webhooks.delivery import Webhooks

    found = Webhooks(core.clock.now, token_of=token_of, minter=core.minter)
    found.faults = core.faults
    core.extensions["webhooks"] = found
    return found


def webhooks_of(core: Core) -> Webhooks:
    """The webhooks of ``core`` (installed by ``twilio_mock.Backend``)."""
    found: Webhooks = core.extensions["webhooks"]
    return found
