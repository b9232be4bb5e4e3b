"""Public Key Client Validation (PKCV): make an RSA key pair, upload the public half as a
Credential, then send requests signed with ``Twilio-Client-Validation`` through ``ValidationClient``.

    twilio-mock serve            # in one terminal; it prints the three variables below
    export TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... TWILIO_API_BASE=http://127.0.0.1:4010
    python examples/pkcv_client.py --key-file pkcv_private.pem

PKCV signs requests made with an API key: ``TWILIO_API_KEY``/``TWILIO_API_SECRET`` when set,
otherwise the example creates one with the auth token. Enforcing PKCV for the account is a Console
setting (the mock: ``backend.require_pkcv(account_sid)``); once it is on, unsigned requests get
401 with code 70052. Keep the private key secret: the example writes it to ``--key-file`` only
when asked. Against real Twilio, unset ``TWILIO_API_BASE`` (PKCV is an Enterprise feature).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twilio_sdk import Client, TwilioRestException
from twilio_sdk.http.validation_client import ValidationClient
from twilio_sdk.jwt.validation import generate_key_pair


@dataclass
class Signer:
    """What a signed client needs: the API key, the credential SID and the private key."""

    account_sid: str
    api_key: str
    api_secret: str
    credential_sid: str
    private_key: str


def setup(admin: Client, api_key: str | None = None, api_secret: str | None = None) -> Signer:
    """Generate a key pair, upload its public half, and make an API key unless one is given."""
    private_pem, public_pem = generate_key_pair()
    credential = admin.accounts.v1.credentials.public_key.create(
        public_key=public_pem, friendly_name="pkcv example"
    )
    if not (api_key and api_secret):
        key = admin.new_keys.create(friendly_name="pkcv example")
        api_key, api_secret = str(key.sid), str(key.secret)
    return Signer(str(admin.account_sid), api_key, api_secret, str(credential.sid), private_pem)


def signed_client(signer: Signer, *, http_client: Any = None, api_base: str | None = None) -> Client:
    """A client whose every request carries a ``Twilio-Client-Validation`` token;
    ``http_client`` is the transport that actually sends (default: ``requests``)."""
    transport = ValidationClient(
        signer.account_sid, signer.api_key, signer.credential_sid, signer.private_key, http_client=http_client
    )
    return Client(
        signer.api_key,
        signer.api_secret,
        signer.account_sid,
        http_client=transport,
        api_base=api_base,
        environment={},
    )


def run(
    admin: Client,
    to: str,
    from_: str,
    body: str,
    *,
    api_key: str | None = None,
    api_secret: str | None = None,
    http_client: Any = None,
    api_base: str | None = None,
    before_sending: Callable[[Signer], None] | None = None,
    out: Callable[[str], None] = print,
) -> tuple[Signer, str]:
    """Upload a key, then send a signed message; returns the signer and the message SID.

    ``before_sending`` runs between the two (where a test enforces PKCV for the account).
    """
    signer = setup(admin, api_key, api_secret)
    out(f"Uploaded public key {signer.credential_sid}; signing with API key {signer.api_key}")
    if before_sending is not None:
        before_sending(signer)
    client = signed_client(signer, http_client=http_client, api_base=api_base)
    message = client.messages.create(to=to, from_=from_, body=body)
    out(f"Sent {message.sid} ({message.status}) with a signed request")
    return signer, str(message.sid)


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None, http_client: Any = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--to", default="+15558675310")
    parser.add_argument("--from", dest="from_", default="+15017122661")
    parser.add_argument("--body", default="Hello from a PKCV-signed request!")
    parser.add_argument("--key-file", type=Path, help="where to save the private key (PEM)")
    args = parser.parse_args(argv)
    env = os.environ if env is None else env

    account_sid, auth_token = env.get("TWILIO_ACCOUNT_SID", ""), env.get("TWILIO_AUTH_TOKEN", "")
    if not (account_sid and auth_token):
        print("set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (see the top of this file)")
        return 2
    api_base = env.get("TWILIO_API_BASE")
    admin = Client(account_sid, auth_token, http_client=http_client, api_base=api_base, environment={})
    try:
        signer, _ = run(
            admin,
            args.to,
            args.from_,
            args.body,
            api_key=env.get("TWILIO_API_KEY"),
            api_secret=env.get("TWILIO_API_SECRET"),
            http_client=http_client,
            api_base=api_base,
        )
    except TwilioRestException as exc:
        print(f"Twilio said {exc.status} (code {exc.code}): {exc.msg}", file=sys.stderr)
        return 1
    if args.key_file:
        args.key_file.write_text(signer.private_key)
        args.key_file.chmod(0o600)
        print(f"Private key saved to {args.key_file}; credential {signer.credential_sid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
