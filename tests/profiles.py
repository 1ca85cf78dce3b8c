"""Hypothesis profiles: a quick one for CI (default), a long one for local runs.

    LOBOT_HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_worktime.py

Loaded by tests/conftest.py before any test module is imported, so ``at_least`` sees the
chosen profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("LOBOT_HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def at_least(examples: int) -> int:
    """A test's own example count in CI; raised to the profile's in a longer run."""
    return examples if PROFILE == "ci" else max(examples, settings.default.max_examples)
