from datetime import date

from servicedesk.workdays import add_working_days, is_working_day


def test_national_day_holiday_is_skipped():
    # 2026: National Day and Mid-Autumn give 1-7 October off; the 8th is the next working day.
    assert not is_working_day(date(2026, 10, 1))
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_plain_week():
    # Thursday 26 Nov 2026 + 1 WD = Friday; + 2 WD = the next Monday.
    assert add_working_days(date(2026, 11, 26), 1) == date(2026, 11, 27)
    assert add_working_days(date(2026, 11, 26), 2) == date(2026, 11, 30)


def test_make_up_saturday_counts_as_a_working_day():
    # 2026's Spring Festival: Saturday 14 February 2026 is a make-up working day.
    assert is_working_day(date(2026, 2, 14))


def test_unknown_year_falls_back_to_weekdays():
    assert is_working_day(date(2099, 6, 1))  # a Monday
    assert not is_working_day(date(2099, 6, 6))  # a Saturday
