"""Cross-check against the official ``twilio.request_validator.RequestValidator``.

Signatures made by ours validate with theirs and the reverse, for generated URLs, parameters,
repeated values, ports and JSON bodies; changing any character of the URL, the parameters or
the signature makes both reject.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator as OfficialValidator
from werkzeug.datastructures import MultiDict

from twilio_sdk.webhooks import RequestValidator, port_variants, sign_webhook, signing_payload

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
name = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10)
token = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=32)
host = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){1,2}", fullmatch=True)
path = st.from_regex(r"(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,8}){0,4}", fullmatch=True)
query = st.lists(
    st.tuples(
        st.from_regex(r"[A-Za-z0-9_]{1,6}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9%+._-]{0,8}", fullmatch=True),
    ),
    max_size=3,
)
params = st.dictionaries(name, st.one_of(text, st.lists(text, min_size=1, max_size=4)), max_size=6)
json_bodies = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=8,
).map(lambda value: json.dumps({"data": value}, ensure_ascii=False))


@st.composite
def urls(draw: Any, port: str = "any") -> str:
    scheme = draw(st.sampled_from(["https", "http"]))
    choice = draw(st.sampled_from(["none", "default", "other"])) if port == "any" else port
    netloc = draw(host)
    if choice == "default":
        netloc += ":443" if scheme == "https" else ":80"
    elif choice == "other":
        netloc += f":{draw(st.integers(1024, 65535))}"
    pairs = draw(query)
    url = f"{scheme}://{netloc}{draw(path)}"
    url += "?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else ""
    # The official validator only tries urlparse(url).geturl() (with and without the port), which
    # drops e.g. an empty ';params' part, so it rejects its own signatures for such URLs.
    assume(urlparse(url).geturl() == url)
    return url


def official(payload: Any) -> Any:
    """The official validator takes repeated values from a multi-dict only (not a dict of lists)."""
    if not isinstance(payload, dict):
        return payload
    return MultiDict(
        [(k, v) for k, values in payload.items() for v in (values if isinstance(values, list) else [values])]
    )


def both_validate(key: str, url: str, payload: Any, signature: str) -> tuple[bool, bool]:
    try:
        theirs = OfficialValidator(key).validate(url, official(payload), signature)
    except ValueError:  # the official validator crashes on some tampered URLs (``host::``)
        theirs = False
    return RequestValidator(key).validate(url, payload, signature), theirs


@settings(deadline=None)
@given(key=token, url=urls(), form=params)
def test_form_signatures_agree_both_ways(key: str, url: str, form: dict[str, Any]) -> None:
    ours = RequestValidator(key).compute_signature(url, form)
    theirs = OfficialValidator(key).compute_signature(url, official(form))
    assert ours == theirs
    assert both_validate(key, url, form, ours) == (True, True)
    assert sign_webhook(url, key, form).headers["X-Twilio-Signature"] == theirs


@settings(deadline=None)
@given(key=token, url=urls(port="none"), form=params, add_port_when_signing=st.booleans())
def test_default_port_variants_agree(
    key: str, url: str, form: dict[str, Any], add_port_when_signing: bool
) -> None:
    bare, with_port = port_variants(url)
    signed_url, seen_url = (with_port, bare) if add_port_when_signing else (bare, with_port)
    ours = RequestValidator(key).compute_signature(signed_url, form)
    theirs = OfficialValidator(key).compute_signature(signed_url, official(form))
    assert both_validate(key, seen_url, form, ours) == (True, True)
    assert both_validate(key, seen_url, form, theirs) == (True, True)


@settings(deadline=None)
@given(key=token, url=urls(), body=json_bodies)
def test_json_body_signatures_agree_both_ways(key: str, url: str, body: str) -> None:
    signed = sign_webhook(url, key, body=body)
    ours = signed.headers["X-Twilio-Signature"]
    theirs = OfficialValidator(key).compute_signature(signed.url, {})
    assert ours == theirs
    assert both_validate(key, signed.url, body, ours) == (True, True)
    # a different body with the same URL and signature is rejected by both
    other = body[:-1] + " }"
    assert both_validate(key, signed.url, other, ours) == (False, False)


def _replace_char(value: str, index: int, char: str) -> str:
    index %= len(value)
    assume(value[index] != char)
    return value[:index] + char + value[index + 1 :]


@settings(deadline=None)
@given(
    key=token,
    url=urls(port="none"),
    form=params,
    where=st.sampled_from(["url", "signature", "param-value", "param-name", "extra-param", "drop-param"]),
    index=st.integers(0, 10_000),
    char=st.characters(min_codepoint=0x30, max_codepoint=0x7A).filter(str.isalnum),
)
def test_tampering_fails_both(
    key: str, url: str, form: dict[str, Any], where: str, index: int, char: str
) -> None:
    signature = RequestValidator(key).compute_signature(url, form)
    new_url, new_form, new_signature = url, dict(form), signature
    if where == "url":
        start = url.index("://") + 3  # keep the scheme: a URL that is not http(s) is out of scope
        new_url = url[:start] + _replace_char(url[start:], index, char)
    elif where == "signature":
        new_signature = _replace_char(signature, index, char)
    elif where == "extra-param":
        new_form[f"Extra{char}"] = char
        assume(f"Extra{char}" not in form)
    else:
        assume(form)
        target = sorted(form)[index % len(form)]
        if where == "drop-param":
            del new_form[target]
        elif where == "param-name":
            new_form[_replace_char(target, index, char)] = new_form.pop(target)
        else:
            value = form[target]
            if isinstance(value, list):
                value = list(value)
                value[index % len(value)] = _replace_char(
                    value[index % len(value)] or char + char, index, char
                )
            else:
                value = _replace_char(value or char + char, index, char)
            new_form[target] = value
    # Names and values are concatenated without separators, so some edits sign the same string;
    # those are not detectable by design.
    assume(where == "signature" or signing_payload(new_url, new_form) != signing_payload(url, form))
    assert both_validate(key, new_url, new_form, new_signature) == (False, False)
