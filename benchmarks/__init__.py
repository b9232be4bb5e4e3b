"""Benchmarks of ``twilio_sdk`` against the official ``twilio`` package, run side by side.

Entry point: ``python benchmarks/run.py [--quick]``.
"""
