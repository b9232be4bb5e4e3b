"""Cassettes: record Twilio traffic once, replay it offline, with secrets scrubbed.

::

    from twilio_mock.cassettes import use_cassette

    with use_cassette("tests/cassettes/send.yaml", mode="once") as cassette:
        client.messages.create(to="+15558675310", from_="+15017122661", body="Hi")
    assert cassette.recorded or cassette.played

Every ``requests`` call to a Twilio host (region and edge variants included, and URLs under the
``TWILIO_API_BASE`` in force at entry) is replayed from the YAML file or, in a recording mode,
sent on to Twilio (or to ``record_url``, a ``twilio-mock serve``) and written to the file on
exit, scrubbed. Other hosts go on untouched (to an outer ``responses`` mock when one is active).

Modes (:data:`RECORD_MODES`, as vcrpy and pytest-recording define them): ``none`` replays only,
``once`` records when the file does not exist, ``new_episodes`` replays what matches and
records the rest, ``all`` records everything (keeping what the file held), ``rewrite``
records from scratch. The pieces: :mod:`~twilio_mock.cassettes.cassette` (the session),
:mod:`~twilio_mock.cassettes.serialize` (the YAML format), :mod:`~twilio_mock.cassettes.scrubber`
(what never reaches the disk), :mod:`~twilio_mock.cassettes.matching`,
:mod:`~twilio_mock.cassettes.forwarding` (recording), :mod:`~twilio_mock.cassettes.state` (replay
into a backend) and :mod:`~twilio_mock.cassettes.check` (``twilio-mock cassettes check``).

Names are imported on first use: ``import twilio_mock.cassettes`` loads neither PyYAML nor
urllib3 nor faker.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twilio_mock.cassettes.cassette import Cassette, use_cassette
    from twilio_mock.cassettes.errors import CassetteError

#: The record modes, in the order pytest-recording lists them.
RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")

_EXPORTS = {
    "Cassette": "twilio_mock.cassettes.cassette",
    "use_cassette": "twilio_mock.cassettes.cassette",
    "CassetteError": "twilio_mock.cassettes.errors",
}

__all__ = ["RECORD_MODES", "Cassette", "CassetteError", "use_cassette"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'twilio_mock.cassettes' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
