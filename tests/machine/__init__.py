"""The hypothesis profiles and the model-checking state machine."""
