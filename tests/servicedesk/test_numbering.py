import threading
from datetime import date

import pytest
from django.db import close_old_connections, connection, transaction

from servicedesk.numbering import issue_number
from tests.factories import MallFactory


@pytest.mark.django_db
def test_numbers_count_up_per_mall_prefix_and_day(mall, other_mall):
    day = date(2026, 11, 26)
    assert issue_number("TS", mall, day) == "TS-SH01-20261126-0001"
    assert issue_number("TS", mall, day) == "TS-SH01-20261126-0002"
    assert issue_number("TH", mall, day) == "TH-SH01-20261126-0001"
    assert issue_number("TS", other_mall, day) == "TS-WX01-20261126-0001"
    assert issue_number("TS", mall, date(2026, 11, 27)) == "TS-SH01-20261127-0001"


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_numbers_issued_at_once_are_different(postgres):
    mall = MallFactory(code="SH01")
    day = date(2026, 11, 26)
    results, errors = [], []
    start = threading.Barrier(8)

    def take():
        try:
            start.wait()
            with transaction.atomic():
                results.append(issue_number("TS", mall, day))
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [f"TS-SH01-20261126-{n:04d}" for n in range(1, 9)]
