"""``backend.verify``: the Verify behaviour's settings, and what tests read the codes with.

A verification's code, its wrong checks and when it expires are kept on its record in the store
(``_code``, ``_checks``, ``_expires``: never rendered), its expiry on the scheduler; so snapshots
keep all of it and ``reset()`` forgets it. Limit rules (``limit``: starts answered 429 / 60212 or
60203) are the ``verify`` part of snapshots. Settings (kept across resets, not in snapshots):
``lifetime`` (seconds a verification stays pending), ``max_sends``, ``max_checks`` and
``sender`` (where ``sms`` verifications are sent from), defaults in ``verify_data``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import verify_data as data
from twilio_mock.behaviours.rules import RuleBook

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core

Record = dict[str, Any]
_VERIFICATIONS = re.compile(r"^/v2/Services/[^/]+/Verifications$")


class Verify:
    """Verify settings of one backend, and its pending verifications' codes."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.lifetime = data.LIFETIME
        self.max_sends = data.MAX_SENDS
        self.max_checks = data.MAX_CHECKS
        self.sender = data.SMS_SENDER
        self._book = RuleBook(core._lock, _limit)

    # Limit rules ----------------------------------------------------------------------
    def limit(self, to: str | None = None, *, code: int = 60212, times: int | None = 1) -> dict[str, Any]:
        """Make the next ``times`` verification starts to ``to`` (anyone when ``None``; every
        one from now on when ``times`` is ``None``) answer 429 with ``code`` (60212 "Too many
        concurrent requests for phone number", or 60203). The newest matching rule wins; a start
        it answers changes nothing else. Returns the rule."""
        return self.add_limit({"to": to, "code": code, "times": times})

    def add_limit(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        """A limit rule given as a mapping (``to``, ``code``, ``times``); ``ValueError`` when it is
        not one."""
        return self._book.add(rule)

    @property
    def limits(self) -> list[dict[str, Any]]:
        """The limit rules in force, oldest first (copies)."""
        return self._book.copies()

    def clear(self) -> None:
        """Forget every limit rule."""
        self._book.clear()

    def take(self, to: str) -> int | None:
        """The code the newest rule matching ``to`` answers with (using up one of its times), or
        ``None``. Called under the lock."""
        limits = self._book.items
        for index in range(len(limits) - 1, -1, -1):
            rule = limits[index]
            if rule["to"] not in (None, to):
                continue
            if rule["times"] is not None:
                left = int(rule["times"]) - 1
                if left > 0:
                    limits[index] = {**rule, "times": left}
                else:
                    del limits[index]
            return int(rule["code"])
        return None

    # Codes ------------------------------------------------------------------------------

    def code(self, to: str) -> str:
        """The code of the newest pending verification to ``to`` (a phone number or an email
        address, as sent); ``LookupError`` (saying which are pending) when there is none."""
        found = self.pending(to)
        if not found:
            waiting = sorted({str(v["to"]) for v in self.pending()})
            listed = ", ".join(waiting) if waiting else "none"
            raise LookupError(f"no pending verification to {to!r} (pending verifications go to: {listed})")
        return str(found[-1]["code"])

    def pending(self, to: str | None = None) -> list[dict[str, Any]]:
        """The pending verifications (to ``to`` only, if given), oldest first: ``to``,
        ``code``, ``channel``, ``verification_sid``, ``service_sid``, ``account_sid``, ``sends``,
        ``checks`` (wrong ones so far) and ``expires`` (epoch seconds)."""
        now = self.core.clock.now()
        rows: list[tuple[int, int, dict[str, Any]]] = []
        with self.core._lock:
            for (account, domain, version, path), coll in self.core.store.collections.items():
                if domain != "verify" or version != "v2" or not _VERIFICATIONS.match(path):
                    continue
                for record in coll.records():
                    if not live(record, now) or (to is not None and record.get("to") != to):
                        continue
                    row = {
                        "to": record.get("to"),
                        "code": record.get("_code"),
                        "channel": record.get("channel"),
                        "verification_sid": record.get("sid"),
                        "service_sid": coll.parent.get("service_sid"),
                        "account_sid": account,
                        "sends": len(record.get("send_code_attempts") or []),
                        "checks": int(record.get("_checks") or 0),
                        "expires": record.get("_expires"),
                    }
                    rows.append((int(record.get("date_created") or 0), len(rows), row))
        return [row for _created, _n, row in sorted(rows, key=lambda r: (r[0], r[1]))]

    # State part "verify" -------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {"limits": self.limits}

    def load(self, state: dict[str, Any]) -> None:
        self._book.load(state.get("limits") or [])

    def reset(self) -> None:
        self._book.clear()

    def __repr__(self) -> str:
        return f"<Verify lifetime={self.lifetime:g}s max_sends={self.max_sends} max_checks={self.max_checks}>"


def _limit(rule: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(rule, Mapping):
        raise ValueError("a limit is an object with to, code, times")
    unknown = set(rule) - {"to", "code", "times"}
    if unknown:
        raise ValueError(f"unknown limit field(s): {', '.join(sorted(unknown))}")
    to, code, times = rule.get("to"), rule.get("code", 60212), rule.get("times", 1)
    if to is not None and (not isinstance(to, str) or not to):
        raise ValueError("to must be a phone number or an email address")
    if code not in data.LIMIT_CODES or isinstance(code, bool):
        raise ValueError(f"code must be one of {', '.join(map(str, data.LIMIT_CODES))}, not {code!r}")
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise ValueError("times must be a whole number >= 1, or null for every start")
    return {"to": to, "code": code, "times": times}


def live(record: Record, now: float) -> bool:
    """Whether a verification is pending and not past its expiry (the scheduler may not have run
    yet on a real-time clock)."""
    return record.get("status") == "pending" and float(record.get("_expires") or 0) > now


def verify_of(core: Core) -> Verify:
    found: Verify = core.extensions["verify"]
    return found
