"""Typing in the printed log: days, ticked exercises, the day's pain."""

from __future__ import annotations

import datetime as dt

import pytest

from backplan.errors import BackplanError
from backplan.home.paper_log import parse_days

PLAN_DATE = dt.date(2026, 12, 1)


def parse(*tokens: str, exercises: int = 4, has_warmup: bool = True):
    return parse_days(tokens, plan_date=PLAN_DATE, exercises=exercises, has_warmup=has_warmup)


def test_a_date_then_the_numbers_ticked_then_the_pain():
    (day,) = parse("2026-12-01", "1", "2", "4", "pain", "3")
    assert day.day == PLAN_DATE and day.exercises == [1, 2, 4] and day.pain == 3
    assert not day.warmup


def test_several_days_by_log_day_number_with_the_warm_up_row():
    days = parse("d1", "W", "1", "pain=2", "D3", "c", "2", "Pain", "4/10")
    assert [d.day for d in days] == [PLAN_DATE, PLAN_DATE + dt.timedelta(days=2)]
    assert all(d.warmup for d in days)
    assert [d.pain for d in days] == [2, 4]


def test_spanish_words_work_too():
    (day,) = parse("día2", "C", "3", "dolor", "5")
    assert day.day == PLAN_DATE + dt.timedelta(days=1) and day.pain == 5 and day.exercises == [3]


@pytest.mark.parametrize(
    ("tokens", "words"),
    [
        (("1", "2"), "start with the day"),
        (("d1", "5"), "use W, 1 to 4"),
        (("d1", "pain", "11"), "0 to 10"),
        (("d1", "pain"), "0 to 10"),
        (("d15",), "days 1 to 14"),
        (("2026-11-30", "1"), "runs from 2026-12-01"),
        (("2026-02-30",), "not a date"),
        (("d1", "1", "d1", "2"), "given twice"),
        ((), "nothing to add"),
    ],
)
def test_mistakes_name_the_word_and_the_fix(tokens, words):
    with pytest.raises(BackplanError) as caught:
        parse(*tokens)
    assert words in str(caught.value)


def test_no_warm_up_row_on_a_plan_without_warm_ups():
    with pytest.raises(BackplanError, match="no warm-up row"):
        parse("d1", "w", exercises=3, has_warmup=False)
