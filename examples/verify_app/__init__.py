"""A 2FA sign-up and login app on Twilio Verify, and its tests (a package, so its ``app`` and
``test_app`` modules do not collide with the other examples')."""
