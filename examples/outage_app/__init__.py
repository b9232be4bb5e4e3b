"""A notification sender that copes with Twilio's bad days, and its tests against scripted
faults (a package, so its ``app`` and ``test_app`` modules do not collide with the other
examples')."""
