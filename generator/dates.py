"""Dates as readers see them: '6 March 2025', in English whatever the machine's locale."""

from __future__ import annotations

import datetime as dt
import functools

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# Events and reports on the same date: the exactly dated first.
PRECISION_RANK = {"day": 0, "week": 1, "month": 2}


@functools.lru_cache(maxsize=4096)  # a site shows the same few dates thousands of times
def format_date(value: dt.date, precision: str = "day") -> str:
    month = f"{MONTHS[value.month - 1]} {value.year}"
    if precision == "month":
        return month
    if precision == "week":
        return f"week of {value.day} {month}"
    return f"{value.day} {month}"
