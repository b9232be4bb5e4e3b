"""Hypothesis settings profiles for property tests against the mock: ``ci``, ``dev``, ``deep``.

Needs ``hypothesis`` (``pip install hypothesis``; the project's ``dev`` extra has it). Load once,
e.g. in a ``conftest.py``::

    from twilio_mock.hypothesis_profiles import load
    load()  # the profile named by $TWILIO_HYPOTHESIS_PROFILE, "dev" when unset

- ``ci``: derandomized (every run explores the same inputs), bounded, no deadline, no example
  database, and a failing example printed as a reproduction blob.
- ``dev``: the default; random inputs, remembered failures, no deadline.
- ``deep``: many examples, for hunting bugs locally.

hypothesis' own ``--hypothesis-profile NAME`` works too once :func:`register` has run (it wins
over the environment variable). A test that needs more or fewer examples than the profile scales
it with :func:`max_examples` instead of hard-coding a count.
"""

from __future__ import annotations

import os

try:
    from hypothesis import HealthCheck, settings
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "twilio_mock.hypothesis_profiles needs hypothesis: pip install hypothesis "
        "(or the toolkit's dev extra)"
    ) from exc

ENV = "TWILIO_HYPOTHESIS_PROFILE"
DEFAULT = "dev"
PROFILES: dict[str, dict[str, object]] = {
    "ci": {
        "derandomize": True,
        "max_examples": 100,
        "deadline": None,
        "print_blob": True,
        "database": None,
        "suppress_health_check": [HealthCheck.too_slow],
    },
    "dev": {"max_examples": 100, "deadline": None},
    "deep": {"max_examples": 2000, "deadline": None, "suppress_health_check": [HealthCheck.too_slow]},
}


def register() -> None:
    """Register the three profiles with hypothesis (safe to call more than once)."""
    base = settings.get_profile("default")  # hypothesis' own defaults, not whatever is loaded now
    for name, options in PROFILES.items():
        settings.register_profile(name, base, **options)  # type: ignore[arg-type]


def load(name: str | None = None) -> str:
    """Register the profiles and load ``name`` (default: ``$TWILIO_HYPOTHESIS_PROFILE`` or
    ``dev``). Returns the name loaded; an unknown name raises ``ValueError``."""
    register()
    chosen = name or os.environ.get(ENV) or DEFAULT
    if chosen not in PROFILES:
        raise ValueError(f"unknown hypothesis profile {chosen!r} (one of {', '.join(PROFILES)})")
    settings.load_profile(chosen)
    return chosen


def max_examples(scale: float = 1.0) -> int:
    """The current profile's ``max_examples`` times ``scale`` (at least 1), for a test that needs
    a different count than the profile's but should still grow and shrink with it."""
    return max(1, round(settings().max_examples * scale))
