"""Call Twilio with OAuth client credentials: ``ClientCredentialProvider`` fetches a bearer token
from ``oauth.twilio.com/v2/token``, reuses it, and refreshes it shortly before it expires.

    twilio-mock serve            # in one terminal; it prints the three variables below
    export TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... TWILIO_API_BASE=http://127.0.0.1:4010
    python examples/oauth_client.py --to +15558675310 --body "Hello over OAuth"

The client is ``TWILIO_CLIENT_ID`` / ``TWILIO_CLIENT_SECRET``: the Client ID (``OQ…``) and
secret of an OAuth app (Console → Account → OAuth apps, or ``client.iam.v1.o_auth_apps.create``).
When they are unset the account SID and auth token are used as the client, which only the mock
accepts. Against real Twilio, unset ``TWILIO_API_BASE``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from twilio_sdk import Client, TwilioRestException
from twilio_sdk.credential import ClientCredentialProvider


def oauth_client(
    client_id: str,
    client_secret: str,
    account_sid: str,
    *,
    http_client: Any = None,
    api_base: str | None = None,
    clock: Callable[[], float] | None = None,
) -> Client:
    """A client that authenticates every request with a bearer token for this OAuth client.

    ``account_sid`` is required: an OAuth client has no username to take it from.
    """
    provider = ClientCredentialProvider(client_id, client_secret, clock=clock or time.time)
    return Client(
        credential_provider=provider,
        account_sid=account_sid,
        http_client=http_client,
        api_base=api_base,
        environment={},
    )


def run(client: Client, to: str, from_: str, body: str, out: Callable[[str], None] = print) -> str:
    """List recent messages, send one, and return its SID."""
    out("Recent messages:")
    for item in client.messages.list(limit=10):
        out(f"  {item.sid}  {item.status:<9} {item.to:<14} {item.body}")
    message = client.messages.create(to=to, from_=from_, body=body)
    out(f"Sent {message.sid} ({message.status}) with a bearer token")
    return str(message.sid)


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None, http_client: Any = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--to", default="+15558675310")
    parser.add_argument("--from", dest="from_", default="+15017122661")
    parser.add_argument("--body", default="Hello from twilio_sdk over OAuth!")
    args = parser.parse_args(argv)
    env = os.environ if env is None else env

    account_sid = env.get("TWILIO_ACCOUNT_SID", "")
    client_id = env.get("TWILIO_CLIENT_ID") or account_sid
    client_secret = env.get("TWILIO_CLIENT_SECRET") or env.get("TWILIO_AUTH_TOKEN", "")
    if not (account_sid and client_id and client_secret):
        print("set TWILIO_ACCOUNT_SID and TWILIO_CLIENT_ID/TWILIO_CLIENT_SECRET (see the top of this file)")
        return 2
    if not env.get("TWILIO_API_BASE") and http_client is None:
        print("note: TWILIO_API_BASE is not set, so this talks to the real Twilio", file=sys.stderr)
    client = oauth_client(
        client_id, client_secret, account_sid, http_client=http_client, api_base=env.get("TWILIO_API_BASE")
    )
    try:
        run(client, args.to, args.from_, args.body)
    except TwilioRestException as exc:
        print(f"Twilio said {exc.status} (code {exc.code}): {exc.msg}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
