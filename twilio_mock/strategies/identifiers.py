"""SIDs: a two-letter prefix and 32 lowercase hex characters."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import strategies as st

from twilio_mock.core.sids import check_prefix
from twilio_sdk import spec as _spec

HEX = "0123456789abcdef"


@lru_cache(maxsize=1)
def known_prefixes() -> tuple[str, ...]:
    """Every SID prefix the API description declares, sorted."""
    found: set[str] = set()
    for domain, info in _spec.domains().items():
        for version in info["versions"]:
            vspec = _spec.version_spec(domain, version)
            for key in vspec.resource_keys():
                prefix = vspec.resource(key).sid_prefix
                if prefix:
                    found.add(prefix)
    return tuple(sorted(found))


def sids(prefix: str | None = None) -> st.SearchStrategy[str]:
    """SIDs with ``prefix`` (``"SM"``), or with any prefix the description knows."""
    hex32 = st.text(alphabet=HEX, min_size=32, max_size=32)
    if prefix is None:
        return st.builds(str.__add__, st.sampled_from(known_prefixes()), hex32)
    head = check_prefix(prefix)
    return hex32.map(lambda tail: head + tail)
