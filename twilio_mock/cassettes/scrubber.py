"""What never reaches a cassette file, and how a placeholder is put back on replay.

Scrubbed before anything is written, in requests and responses, headers and bodies:

- headers outside the allow-list of :mod:`~twilio_mock.cassettes.serialize` (``Authorization``,
  cookies, ``X-Twilio-Signature``, ``Twilio-Client-Validation``...) are dropped;
- secrets, replaced by ``SCRUBBED_SECRET_<n>`` wherever they occur, as they are and in their
  base64 forms (alone, and as ``user:secret`` for every Basic auth user and OAuth client seen):
  the Basic auth password, bearer tokens, the values of fields named like secrets (``secret``,
  ``auth_token``, ``client_secret``, ``access_token``, ``refresh_token``, ``id_token``,
  ``password``, ``token``, ``*_secret``, ``*_token``; page tokens excepted), the
  ``TWILIO_*TOKEN*``/``TWILIO_*SECRET*`` environment variables, and ``secrets=``;
- JWTs (``eyJ…`` three-part), replaced by an unsigned stand-in whose ``exp`` is in 2100, so an
  OAuth client replaying a token response does not fetch a new token for every request;
- account SIDs, replaced by ``AC00000000000000000000000000000001``, ``…02``… in order of first
  appearance (the Basic auth user, then the URL, query, body, then the response), and the
  strings named in ``placeholders=``;
- with ``scrub_numbers``/``scrub_bodies``, E.164 numbers and message ``Body``/``body`` values,
  by :class:`~twilio_mock.cassettes.fakes.Fakes`.

On replay the same object scrubs each incoming request before it is matched, so the test's own
accounts become the placeholders in the order it uses them, and :meth:`Scrubber.unscrub` puts
the test's values back into the recorded response. The numbers of ``SCRUBBED_SECRET_<n>`` only
tell secrets apart within one written session; matching treats every secret as equal.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

from twilio_mock.cassettes.fakes import Fakes
from twilio_mock.cassettes.serialize import REQUEST_HEADERS, RESPONSE_HEADERS, header, keep_headers

__all__ = ["FAKE_JWT", "Scrubber", "fake_jwt", "placeholder"]

ACCOUNT_SID = re.compile(r"AC[0-9a-f]{32}(?![0-9a-f])")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
SECRET_MARK = re.compile(r"SCRUBBED_SECRET_\d+")
MIN_SECRET = 6  # shorter values of secret-named fields are not worth replacing everywhere
_NOT_SECRETS = {"pagetoken", "nexttoken", "previoustoken", "prevtoken", "nextpagetoken", "tokentype"}
_SECRET_NAME = re.compile(r"(secret|password|passwd|token|privatekey)$")
_EXPIRES = 4102444800  # 2100-01-01: replayed tokens never look expired


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


FAKE_JWT_HEADER = _b64url(b'{"alg":"none","typ":"JWT"}')
FAKE_JWT = re.compile(re.escape(FAKE_JWT_HEADER) + r"\.[A-Za-z0-9_-]+\.scrubbed")


def fake_jwt(n: int) -> str:
    """The ``n``-th stand-in JWT: unsigned, ``exp`` in 2100, no claim of the real one."""
    claims = json.dumps({"exp": _EXPIRES, "scrubbed": n}, separators=(",", ":")).encode()
    return f"{FAKE_JWT_HEADER}.{_b64url(claims)}.scrubbed"


def placeholder(n: int) -> str:
    """The ``n``-th account placeholder (``n`` from 1): a valid 34-character account SID."""
    return f"AC{n:032x}"


def is_placeholder(sid: str) -> bool:
    return sid.startswith("AC" + "0" * 24)


def secret_name(name: str) -> bool:
    """Whether a field or parameter named ``name`` holds a secret."""
    flat = name.lower().replace("_", "").replace("-", "")
    return flat not in _NOT_SECRETS and bool(_SECRET_NAME.search(flat))


def _walk_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {fn(str(k)): _walk_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk_strings(v, fn) for v in value]
    return value


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None


class Scrubber:
    """One cassette session's secrets, placeholders and fakes."""

    def __init__(
        self,
        *,
        secrets: Iterable[str] = (),
        placeholders: Mapping[str, str] | None = None,
        scrub_numbers: bool = False,
        scrub_bodies: bool = False,
        seed: int | str = 0,
        environ: Mapping[str, str] | None = None,
        bases: Iterable[str] = (),
    ) -> None:
        self.secrets: list[str] = []
        self.users: list[str] = []
        self.accounts: dict[str, str] = {}  # real account SID -> placeholder
        self._reals: dict[str, str] = {}  # placeholder -> real account SID
        self.named = {str(k): str(v) for k, v in (placeholders or {}).items() if k}
        self._named_back = {v: k for k, v in self.named.items()}
        self._named_re, self._named_back_re = _alternation(self.named), _alternation(self._named_back)
        self.scrub_numbers, self.scrub_bodies = scrub_numbers, scrub_bodies
        self.fakes = Fakes(seed) if (scrub_numbers or scrub_bodies) else None
        # ``<base>/<product>`` origins (TWILIO_API_BASE, record_url) stand for Twilio's hosts.
        self._bases = [re.compile(re.escape(b.rstrip("/")) + r"/([a-z0-9][a-z0-9-]*)") for b in bases if b]
        self._forms: re.Pattern[str] | None = None
        self._form_of: dict[str, str] = {}
        self._dirty = True
        env = os.environ if environ is None else environ
        for key in sorted(env):
            upper = key.upper()
            if upper.startswith("TWILIO_") and ("TOKEN" in upper or "SECRET" in upper):
                self.add_secret(env[key])
        for value in secrets:
            self.add_secret(str(value), minimum=1)

    # Collecting ------------------------------------------------------------------------
    def add_secret(self, value: str, minimum: int = MIN_SECRET) -> None:
        if len(value) >= minimum and value not in self.secrets and not FAKE_JWT.fullmatch(value):
            self.secrets.append(value)
            self._dirty = True

    def _add_user(self, user: str) -> None:
        if user and user not in self.users:
            self.users.append(user)
            self._dirty = True

    def account(self, sid: str) -> str:
        """The placeholder for an account SID, allocated on first sight."""
        if is_placeholder(sid):
            return sid
        found = self.accounts.get(sid)
        if found is None:
            n = len(self.accounts) + 1
            while placeholder(n) in self._reals or any(p == placeholder(n) for p in self.accounts.values()):
                n += 1
            found = self.accounts[sid] = placeholder(n)
            self._reals[found] = sid
        return found

    def _observe_text(self, text: str) -> None:
        for match in ACCOUNT_SID.finditer(text):
            if match[0] not in self.named:
                self.account(match[0])

    def _observe_fields(self, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and secret_name(str(key)):
                    self.add_secret(item)
                    if JWT.fullmatch(item):
                        self.add_secret(item)
                elif isinstance(item, list) and secret_name(str(key)):
                    for one in item:
                        if isinstance(one, str):
                            self.add_secret(one)
                else:
                    self._observe_fields(item)
        elif isinstance(value, list):
            for item in value:
                self._observe_fields(item)

    def observe_request(self, request: dict[str, Any]) -> None:
        """Learn the credentials, secrets and accounts of a raw request (arrival order)."""
        auth = header(request.get("headers") or {}, "Authorization") or ""
        scheme, _, credentials = auth.partition(" ")
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(credentials.strip()).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                user, password = "", credentials.strip()
            self._add_user(user)
            self.add_secret(password, minimum=1)
            self._observe_text(user)
        elif scheme.lower() == "bearer":
            self.add_secret(credentials.strip(), minimum=1)
        for name in ("Twilio-Client-Validation", "X-Twilio-Signature", "Cookie"):
            value = header(request.get("headers") or {}, name)
            if value:
                self.add_secret(value, minimum=1)
        self._observe_text(str(request.get("url", "")))
        for part in ("query", "form", "json", "body"):
            if part in request:
                self._observe_fields(request[part])
                for text in _strings(request[part]):
                    self._observe_text(text)
        for part in ("form", "json"):
            client_id = (request.get(part) or {}) if isinstance(request.get(part), dict) else {}
            for key in ("client_id", "ClientId"):
                if isinstance(client_id.get(key), str):
                    self._add_user(client_id[key])

    def observe_response(self, response: dict[str, Any]) -> None:
        for part in ("json", "body"):
            if part in response:
                self._observe_fields(response[part])
                for text in _strings(response[part]):
                    self._observe_text(text)

    # Scrubbing ---------------------------------------------------------------------------
    def _secret_forms(self) -> re.Pattern[str] | None:
        if self._dirty:
            forms: dict[str, str] = {}
            for secret in self.secrets:
                variants = {secret, quote(secret, safe="")}
                for raw in [secret.encode(), *(f"{u}:{secret}".encode() for u in self.users)]:
                    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
                        text = encoded.decode("ascii")
                        variants.update({text, text.rstrip("=")})
                for variant in variants:
                    if len(variant) >= min(len(secret), MIN_SECRET) or variant == secret:
                        forms.setdefault(variant, secret)
            self._form_of = forms
            self._forms = _alternation(forms)
            self._dirty = False
        return self._forms

    def text(self, value: str, numbering: dict[str, str]) -> str:
        """One string scrubbed; ``numbering`` gives secrets and JWTs their stand-ins per pass."""
        for base in self._bases:
            value = base.sub(lambda m: f"https://{m[1]}.twilio.com", value)
        if self._named_re is not None:
            value = self._named_re.sub(lambda m: self.named[m[0]], value)

        def jwt(m: re.Match[str]) -> str:
            if m[0] not in numbering:
                numbering[m[0]] = fake_jwt(_count(numbering, "J"))
            return numbering[m[0]]

        # JWTs first: a token is a secret too, and its stand-in must stay a JWT.
        value = JWT.sub(lambda m: m[0] if FAKE_JWT.fullmatch(m[0]) else jwt(m), value)
        forms = self._secret_forms()
        if forms is not None:

            def secret(m: re.Match[str]) -> str:
                base = self._form_of[m[0]]
                if base not in numbering:
                    numbering[base] = f"SCRUBBED_SECRET_{_count(numbering, 'S')}"
                return numbering[base]

            value = forms.sub(secret, value)

        value = ACCOUNT_SID.sub(lambda m: self.account(m[0]), value)
        if self.scrub_numbers and self.fakes is not None:
            value = self.fakes.scrub_numbers(value)
        return value

    def _bodies(self, value: Any, names: tuple[str, ...]) -> Any:
        """Message bodies (fields named ``names``) faked, at any depth."""
        fakes = self.fakes
        if not self.scrub_bodies or fakes is None:
            return value
        if isinstance(value, dict):
            return {
                k: fakes.body(v) if k in names and isinstance(v, str) else self._bodies(v, names)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._bodies(v, names) for v in value]
        return value

    def scrub_request(self, request: dict[str, Any], numbering: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {"method": request["method"], "url": self.text(request["url"], numbering)}
        headers = keep_headers(request.get("headers") or {}, REQUEST_HEADERS)
        out["headers"] = _walk_strings(headers, lambda s: self.text(s, numbering))
        for part in ("query", "form", "json", "body", "body_base64"):
            if part in request:
                faked = self._bodies(request[part], ("Body", "body"))
                out[part] = _walk_strings(faked, lambda s: self.text(s, numbering))
        return out

    def scrub_response(self, response: dict[str, Any], numbering: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {"status": response["status"]}
        headers = keep_headers(response.get("headers") or {}, RESPONSE_HEADERS)
        out["headers"] = _walk_strings(headers, lambda s: self.text(s, numbering))
        for part in ("json", "body", "body_base64"):
            if part in response:
                faked = self._bodies(response[part], ("body", "Body"))
                out[part] = _walk_strings(faked, lambda s: self.text(s, numbering))
        return out

    # Replaying ---------------------------------------------------------------------------
    def learn(self, interactions: Iterable[dict[str, Any]]) -> None:
        """Note the fakes a loaded cassette holds, so that values the test got from a replayed
        response and sends back are not faked a second time."""
        if self.fakes is None:
            return
        for item in interactions:
            for part in (item.get("request") or {}, item.get("response") or {}):
                self._learn(part, body=False)

    def _learn(self, value: Any, body: bool) -> None:
        assert self.fakes is not None
        if isinstance(value, str):
            self.fakes.learn(value, body and self.scrub_bodies)
        elif isinstance(value, dict):
            for key, item in value.items():
                self._learn(item, key in ("Body", "body"))
        elif isinstance(value, list):
            for item in value:
                self._learn(item, body)

    def unscrub(self, value: Any) -> Any:
        """A recorded value with the test's own accounts, named strings and real values back."""
        fakes = self.fakes

        def back(text: str) -> str:
            text = ACCOUNT_SID.sub(lambda m: self._reals.get(m[0], m[0]), text)
            if self._named_back_re is not None:
                text = self._named_back_re.sub(lambda m: self._named_back[m[0]], text)
            if self.scrub_numbers and fakes is not None:
                text = fakes.unscrub_numbers(text)
            return text

        if self.scrub_bodies and fakes is not None:
            value = _walk_bodies(value, fakes.real_body)
        return _walk_strings(value, back)


def _walk_bodies(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {
            k: fn(v) if k in ("Body", "body") and isinstance(v, str) else _walk_bodies(v, fn)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_walk_bodies(v, fn) for v in value]
    return value


def _count(numbering: dict[str, str], kind: str) -> int:
    """The next number of a kind of stand-in in this pass (``S`` secrets, ``J`` JWTs)."""
    key = f"\0{kind}"
    n = int(numbering.get(key, "0")) + 1
    numbering[key] = str(n)
    return n


def normalize(value: Any) -> Any:
    """For matching: every secret stand-in is the same secret."""

    def one(text: str) -> str:
        return FAKE_JWT.sub("SCRUBBED_JWT", SECRET_MARK.sub("SCRUBBED_SECRET", text))

    return _walk_strings(value, one)
