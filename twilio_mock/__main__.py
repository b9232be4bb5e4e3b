"""``python -m twilio_mock serve``: same as the ``twilio-mock`` command."""

from __future__ import annotations

import sys

from twilio_mock.ways_in.cli import main

sys.exit(main())
