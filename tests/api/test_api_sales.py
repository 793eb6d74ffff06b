"""Sales push: the file import's rules and idempotency through one code path, per-row results."""

import pytest
import time_machine

from followups.models import ImportStatus, Sale, SalesImport
from followups.services import sales_import_file
from tests.followups.factories import HEADERS, sale_row, write_csv
from tests.merchants.factories import BoothFactory

# Every test on both ways of saving (PostgreSQL: COPY and batched INSERTs), same expectations.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("save_path")]
URL = "/api/v1/sales/"
FIELDS = dict(
    zip(
        HEADERS,
        [
            "order_number",
            "paid_at",
            "customer_name",
            "mobile",
            "merchant_or_booth",
            "goods",
            "model",
            "quantity",
            "amount",
            "delivery_date",
            "warranty_months",
        ],
        strict=True,
    )
)


def api_row(n, **overrides):
    """The same sale as the file import's sale_row(n), keyed by the API's field names."""
    row = {FIELDS[header]: value for header, value in sale_row(n).items()}
    row.update(overrides)
    return row


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        yield


@pytest.fixture
def booth(mall):
    return BoothFactory(merchant__mall=mall, number="2F-A-001", merchant__brand="顾家家居")


def push(api, rows, **extra):
    return api.post(URL, {"mall": "SH01", "sales": rows, **extra}, format="json")


def test_a_batch_is_saved_with_a_result_per_row(api, booth):
    answer = push(api, [api_row(1), api_row(2), api_row(3, mobile="12345")])
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["saved"] is True
    assert body["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "superseded": 0}
    assert [r["result"] for r in body["results"]] == ["created", "created", "rejected"]
    assert body["results"][2]["field"] == "mobile" and body["results"][2]["index"] == 2
    assert Sale.objects.filter(mall=booth.mall).count() == 2
    run = SalesImport.objects.get(pk=body["batch"])
    assert run.status == ImportStatus.DONE and run.file_name.startswith("API: ")
    assert set(Sale.objects.values_list("imported_by_run_id", flat=True)) == {run.pk}


def test_the_same_order_twice_changes_nothing(api, booth):
    push(api, [api_row(1), api_row(2)])
    before = list(Sale.objects.order_by("pk").values())
    again = push(api, [api_row(1), api_row(2)]).json()
    assert [r["result"] for r in again["results"]] == ["unchanged", "unchanged"]
    after = list(Sale.objects.order_by("pk").values())
    assert [{k: v for k, v in row.items() if k != "imported_by_run_id"} for row in after] == [
        {k: v for k, v in row.items() if k != "imported_by_run_id"} for row in before
    ]
    assert [row["imported_by_run_id"] for row in after] == [row["imported_by_run_id"] for row in before]


def test_a_corrected_order_is_updated(api, booth):
    push(api, [api_row(1, delivery_date="")])
    answer = push(api, [api_row(1, delivery_date="2026-03-05")]).json()
    assert answer["results"][0]["result"] == "updated"
    assert str(Sale.objects.get().delivery_date) == "2026-03-05"


def test_a_file_and_a_push_share_the_idempotency(api, booth, tmp_path, mall):
    sales_import_file(mall=mall, path=write_csv(tmp_path / "s.csv", [sale_row(1)]))
    answer = push(api, [api_row(1), api_row(2)]).json()
    assert [r["result"] for r in answer["results"]] == ["unchanged", "created"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"paid_at": "2027-01-01 10:00"}, "paid_at"),
        ({"delivery_date": "2026-02-01"}, "delivery_date"),
        ({"merchant_or_booth": "9F-Z-999"}, "merchant_or_booth"),
        ({"order_number": ""}, "order_number"),
        ({"customer_name": "王\x00五"}, "customer_name"),
        ({"quantity": "0"}, "quantity"),
    ],
)
def test_a_push_refuses_what_the_file_refuses_with_the_same_message(api, booth, tmp_path, mall, overrides, field):
    header = {v: k for k, v in FIELDS.items()}
    file_row = sale_row(1, **{header[k]: v for k, v in overrides.items()})
    run = sales_import_file(mall=mall, path=write_csv(tmp_path / "s.csv", [file_row]))
    answer = push(api, [api_row(1, **overrides)]).json()["results"][0]
    assert answer["result"] == "rejected" and answer["field"] == field
    assert answer["message"] == run.problems[0]["message"]
    assert not Sale.objects.exists()


def test_the_later_row_of_an_order_wins(api, booth):
    answer = push(api, [api_row(1, goods="旧"), api_row(1, goods="新")]).json()
    assert [r["result"] for r in answer["results"]] == ["superseded", "created"]
    assert Sale.objects.get().goods == "新"


def test_all_or_nothing_saves_nothing_when_a_row_is_bad(api, booth):
    answer = push(api, [api_row(1), api_row(2, amount="-1")], all_or_nothing=True).json()
    assert answer["saved"] is False
    assert [r["result"] for r in answer["results"]] == ["created", "rejected"]
    assert not Sale.objects.exists()
    assert SalesImport.objects.get(pk=answer["batch"]).status == ImportStatus.FAILED


@pytest.mark.parametrize(
    "body",
    [
        {"mall": "SH01", "sales": []},
        {"mall": "SH01"},
        {"mall": "SH01", "sales": "rows"},
        {"mall": "SH01", "sales": [1, 2]},
        {"sales": [{}]},
    ],
)
def test_a_malformed_batch_changes_nothing(api, booth, body):
    answer = api.post(URL, body, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid" and answer.json()["fields"]
    assert not SalesImport.objects.exists() and not Sale.objects.exists()


def test_more_than_5000_rows_are_refused_whole(api, booth):
    answer = push(api, [api_row(n) for n in range(1, 5002)])
    assert answer.status_code == 400 and "sales" in answer.json()["fields"]
    assert not Sale.objects.exists()


def test_another_malls_code_is_refused(make_client, booth, other_mall):
    _client, http = make_client(malls=[other_mall])
    answer = http.post(URL, {"mall": "SH01", "sales": [api_row(1)]}, format="json")
    assert answer.status_code == 400 and "mall" in answer.json()["fields"]
    assert not Sale.objects.exists()


def test_5000_rows_in_one_push_cost_a_fixed_number_of_queries(api, booth, django_assert_max_num_queries):
    rows = [api_row(n) for n in range(1, 5001)]
    with django_assert_max_num_queries(40):
        answer = push(api, rows)
    assert answer.json()["counts"]["created"] == 5000
