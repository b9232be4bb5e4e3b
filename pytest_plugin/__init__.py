"""The pytest plugin of twilio-toolkit: the ``twilio_mock``, ``twilio_client`` and
``twilio_server`` fixtures, the ``twilio_mock`` and ``twilio_cassette`` markers, their options,
and a guard that keeps a test run off the real Twilio. Registered through the ``pytest11``
entry point ``twilio_mock`` (:mod:`pytest_plugin.plugin`); ``-p no:twilio_mock`` turns it off.
"""
