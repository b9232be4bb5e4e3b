"""``twilio_mock.Backend``: the core with identity and every behaviour plugged in (the fake
Twilio the ways in reach). The core alone is :class:`twilio_mock.core.backend.Core`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twilio_mock.core.backend import _UNSET, Core
from twilio_mock.core.journal import DEFAULT_MAX_BYTES
from twilio_mock.identity.credentials import Accounts
from twilio_mock.identity.gate import Gate
from twilio_mock.webhooks.delivery import Webhooks

if TYPE_CHECKING:
    from twilio_mock.behaviours.conversation_sms import Conversations
    from twilio_mock.behaviours.messaging import Messaging
    from twilio_mock.behaviours.verify import Verify
    from twilio_mock.behaviours.voice import Voice


class Backend(Core):
    """An in-memory Twilio.

    ``seed`` makes SIDs, tokens and the clock reproducible (``None``: random SIDs and the
    real time). ``account_sid``/``auth_token`` fix the main account's credentials and
    ``test_account_sid``/``test_auth_token`` the test credentials (seeded defaults
    otherwise). ``start`` freezes the clock at an epoch second (default 2025-01-01 when
    seeded). ``journal_size`` bounds the journal's entries and ``journal_bytes`` their memory
    (default 64 MiB; ``None``: unbounded; see :mod:`twilio_mock.core.journal`). With
    ``auto_accounts`` any unknown ``AC…`` SID authenticates and becomes an account.
    """

    def __init__(
        self,
        seed: int | str | None = 0,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        test_account_sid: str | None = None,
        test_auth_token: str | None = None,
        start: float | None = _UNSET,
        journal_size: int | None = 10_000,
        journal_bytes: int | None = DEFAULT_MAX_BYTES,
        auto_accounts: bool = False,
    ) -> None:
        super().__init__(seed, start=start, journal_size=journal_size, journal_bytes=journal_bytes)
        from twilio_mock import behaviours, identity, webhooks

        credentials = (account_sid, auth_token, test_account_sid, test_auth_token)
        self.gate: Gate = identity.install(self, credentials, auto_accounts)
        self.webhooks: Webhooks = webhooks.install(self, self._token_of)
        behaviours.install(self)

    @property
    def messaging(self) -> Messaging:
        """Messaging state and settings: ``inbound_sms(...)``, delivery rules (``fail``,
        ``rules``, ``clear``), ``opt_outs``, ``delays``, ``throughput`` and the
        ``require_owned_sender`` switch
        (:class:`~twilio_mock.behaviours.messaging.Messaging`)."""
        found: Messaging = self.extensions["messaging"]
        return found

    @property
    def voice(self) -> Voice:
        """Voice state and settings: answer rules (``answer``, ``busy``, ``no_answer``,
        ``machine``, ``fail``), caller input (``press``, ``say``), ``inbound_call(...)``,
        ``transcript(call_sid)``, ``verify_caller_id`` and the ``require_owned_caller_id`` switch
        (:class:`~twilio_mock.behaviours.voice.Voice`)."""
        found: Voice = self.extensions["voice"]
        return found

    @property
    def verify(self) -> Verify:
        """Verify settings (``lifetime``, ``max_sends``, ``max_checks``, ``sender``) and the
        pending verifications' codes: ``code(to)``, ``pending(to)``
        (:class:`~twilio_mock.behaviours.verify.Verify`)."""
        found: Verify = self.extensions["verify"]
        return found

    @property
    def conversations(self) -> Conversations:
        """Conversations state and settings: ``rest_needs_header`` (REST actions fire webhooks
        only with ``X-Twilio-Webhook-Enabled: true``)
        (:class:`~twilio_mock.behaviours.conversation_sms.Conversations`)."""
        found: Conversations = self.extensions["conversations"]
        return found

    # Credentials ---------------------------------------------------------------------
    def _token_of(self, account_sid: str) -> str | None:
        record = self.accounts.get(account_sid)
        return None if record is None else str(record["auth_token"])

    @property
    def accounts(self) -> Accounts:
        return self.gate.accounts

    @property
    def account_sid(self) -> str:
        return self.accounts.main_sid

    @property
    def auth_token(self) -> str:
        return str(self.accounts.main["auth_token"])

    @property
    def phone_number(self) -> str:
        """The number the main account is given at start and on every reset (``+15017122661``):
        a ``From`` that the account owns."""
        from twilio_mock.behaviours.numbers_data import MAIN_NUMBER

        return MAIN_NUMBER

    @property
    def test_account_sid(self) -> str:
        return self.accounts.test_sid

    @property
    def test_auth_token(self) -> str:
        return self.accounts.test_token

    @property
    def pkcv_clock(self) -> Callable[[], float]:
        """What PKCV tokens' time windows are judged by (the wall clock by default)."""
        return self.gate.pkcv_clock

    @pkcv_clock.setter
    def pkcv_clock(self, clock: Callable[[], float]) -> None:
        self.gate.pkcv_clock = clock

    def require_pkcv(self, account_sid: str | None = None, required: bool = True) -> None:
        """Make every request authenticated as ``account_sid`` (default: the main account) carry a
        valid ``Twilio-Client-Validation`` token (``required=False`` lifts it). Kept in snapshots."""
        sid = account_sid or self.account_sid
        with self._lock:
            if self.accounts.get(sid) is None:
                raise KeyError(f"no account {sid}")
            self.accounts.require_pkcv(sid, required)

    @classmethod
    def from_file(cls, path: str | Path, **options: Any) -> Backend:
        backend = cls(**options)
        backend.load(path)
        return backend

    def __repr__(self) -> str:
        return f"<twilio_mock.Backend {self.account_sid} records={self.store.count()}>"
