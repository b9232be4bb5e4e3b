"""Send an SMS and list messages with twilio_sdk, against the offline mock server.

    twilio-mock serve            # in one terminal; it prints the three variables below
    export TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... TWILIO_API_BASE=http://127.0.0.1:4010
    python examples/send_sms.py  # in another

Against real Twilio, unset ``TWILIO_API_BASE`` and use your own credentials and numbers.
"""

from __future__ import annotations

import argparse
import os
import sys

from twilio_sdk import Client, TwilioRestException


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", default="+15558675310")
    parser.add_argument("--from", dest="from_", default="+15017122661")
    parser.add_argument("--body", default="Hello from twilio_sdk, offline!")
    args = parser.parse_args(argv)

    if not os.environ.get("TWILIO_API_BASE"):
        print("note: TWILIO_API_BASE is not set, so this talks to the real Twilio", file=sys.stderr)
    client = Client()  # TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_API_BASE from the environment

    try:
        message = client.messages.create(to=args.to, from_=args.from_, body=args.body)
    except TwilioRestException as exc:
        print(f"Twilio said {exc.status} (code {exc.code}): {exc.msg}", file=sys.stderr)
        return 1
    print(f"Sent message {message.sid}")
    print(f"  status      : {message.status}")
    print(f"  from -> to  : {message.from_} -> {message.to}")
    print(f"  segments    : {message.num_segments}")
    print(f"  date created: {message.date_created}")
    print(f"  uri         : {message.uri}")

    fetched = client.messages(message.sid).fetch()
    print(f"Fetched it back: {fetched.sid} body={fetched.body!r}")

    print("Recent messages:")
    for item in client.messages.list(limit=20):
        print(f"  {item.sid}  {item.status:<9} {item.to:<14} {item.body}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
