"""Value rules every record shares, whoever writes it: plausible dates, seconds, amounts, text.

Each is an `Annotated` type, so a model field declares its rule once and the API, the
stores and the desk all refuse the same values with a message naming the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, Strict

FIRST_YEAR = 2000
LAST_YEAR = 2100
"""Dates outside these years are typing mistakes or sentinels (0001-01-01, 9999-12-31, -1)."""

MAX_CALL_SECONDS = 7 * 24 * 3600.0
"""No position in a call lies further in than a week."""

MAX_AMOUNT = 1e12
"""Larger amounts of money are mistakes, not orders."""


def plausible_date(value: datetime) -> datetime:
    """`value` when its year lies in FIRST_YEAR..LAST_YEAR.

    Raises:
        ValueError: the date is implausible.
    """
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"a date between {FIRST_YEAR} and {LAST_YEAR} is expected, not {value.isoformat()}")
    return value


def not_blank(value: str) -> str:
    """`value` when it holds more than white space.

    Raises:
        ValueError: it is empty or only spaces.
    """
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Moment = Annotated[datetime, AfterValidator(plausible_date)]
"""A point in time between the years 2000 and 2100."""
CallSeconds = Annotated[float, Field(ge=0.0, le=MAX_CALL_SECONDS, allow_inf_nan=False)]
"""Seconds from the start of a call: finite, never negative."""
Amount = Annotated[float, Field(ge=0.0, le=MAX_AMOUNT, allow_inf_nan=False)]
"""A sum of money: finite, never negative."""
Count = Annotated[int, Field(ge=0)]
"""How many of something: never negative."""
StrictBool = Annotated[bool, Strict()]
"""true or false only: "yes", 1 or "true" are refused rather than guessed."""
Text = Annotated[str, AfterValidator(not_blank)]
"""Text that says something: empty or blank is refused."""
