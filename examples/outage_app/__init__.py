"""The outage example: a package, so its ``app``/``test_app`` modules do not clash with sms_app's."""
