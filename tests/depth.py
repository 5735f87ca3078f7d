"""How deep the property and fuzz tests go: bounded in the normal run, deep with
BACKPLAN_LONG_TESTS=1 (the older BACKPLAN_LONG_FUZZ=1 and BACKPLAN_LONG_PROPERTIES=1 still work).

The normal run keeps every property running on fewer examples, so the whole suite stays a
quick loop on a small machine; the long run goes at least as deep as the suite used to.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from random import Random
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.strategies import SearchStrategy

T = TypeVar("T")

LONG = any(
    os.environ.get(name) == "1"
    for name in ("BACKPLAN_LONG_TESTS", "BACKPLAN_LONG_FUZZ", "BACKPLAN_LONG_PROPERTIES")
)

# The machine is small and shared with CI; a slow example is not a failing one.
_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
    "print_blob": True,
}
settings.register_profile("default", max_examples=50, **_COMMON)
settings.register_profile("long", max_examples=500, **_COMMON)
PROFILE = "long" if LONG else "default"
SEED = int(os.environ.get("BACKPLAN_TEST_SEED", "0"))  # where `reaches` starts in the normal run


def examples(normal: int, long: int) -> int:
    """`normal` examples in the normal run, `long` (at least as many) in the long one."""
    return long if LONG else normal


def reaches(strategy: SearchStrategy[T], condition: Callable[[T], bool], tries: int = 2000) -> T:
    """An example of `strategy` meeting `condition`, or NoSuchExample after `tries` examples.

    hypothesis.find would also shrink what it found to the smallest such example: that costs
    tens of seconds and tells a guard test ("the strategy reaches these cases") nothing more.
    The normal run starts from the same seed every time: a rare case took from 10 to 700
    random tries (up to 10 s, and sometimes none of 2,000); the long run starts anywhere.
    """
    found: T = find(
        strategy,
        condition,
        settings=settings(max_examples=tries, phases=[Phase.generate], database=None),
        random=None if LONG else Random(SEED),
    )
    return found
