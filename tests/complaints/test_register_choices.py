"""The register's merchant and assignee drop-downs read their options as values
(servicedesk.model_choices.read_choices, issue #22): the same HTML as Django's ModelChoiceField
over model instances gives, selected option and escaping included, in one query each, and a
chosen value is still checked against the field's queryset. Their QuickSelect gives what Django's Select gives."""

import pytest
from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIteratorValue
from django.utils.safestring import mark_safe

from complaints.filters import ComplaintFilter, _assignee_options, _merchant_options
from complaints.models import Complaint
from servicedesk.form_renderer import QuickSelect, QuickWidgetRenderer
from servicedesk.model_choices import _labelled, read_choices
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register_lists(mall, other_mall, staff):
    supervisor = staff(Role.SUPERVISOR)
    named = staff(Role.COMPLAINT_OFFICER, first_name="小", last_name="王")
    nameless = staff(Role.COMPLAINT_OFFICER, first_name="", last_name="", username="officer<&>")
    family_only = staff(Role.COMPLAINT_OFFICER, first_name="", last_name="李")
    for user in (named, nameless, family_only):
        ComplaintFactory(mall=mall, assignee=user)
    merchants = [MerchantFactory(mall=mall, brand=brand) for brand in ('A&B "家具"', "<b>床垫</b>", "顾家")]
    MerchantFactory(mall=other_mall, brand="外商场")
    return supervisor, merchants, named


def _stock(filterset):
    """The same filter's fields with Django's own (instance-making) choices from the querysets the
    filter checks values against, and Django's own Select."""
    querysets = {
        "merchant": ComplaintFilter._merchants(filterset.user, filterset.mall),
        "assignee": ComplaintFilter._handlers(filterset.user, filterset.mall),
    }
    for name in ("merchant", "assignee"):
        field = filterset.form.fields[name]
        assert isinstance(field.widget, QuickSelect)
        field.widget = forms.Select(attrs=field.widget.attrs)
        field.iterator = type(field).iterator
        field.queryset = querysets[name]
    return filterset


@pytest.mark.parametrize("chosen", [None, "merchant", "assignee"])
def test_the_drop_downs_as_model_choices_gave_them(register_lists, mall, chosen):
    supervisor, merchants, named = register_lists
    data = {"merchant": str(merchants[1].pk)} if chosen == "merchant" else {}
    if chosen == "assignee":
        data = {"assignee": str(named.pk)}
    scope = Complaint.objects.all()
    quick = ComplaintFilter(data or None, queryset=scope, user=supervisor, mall=mall)
    stock = _stock(ComplaintFilter(data or None, queryset=scope, user=supervisor, mall=mall))
    for name in ("merchant", "assignee"):
        assert str(quick.form[name]) == str(stock.form[name]), name
    shown = str(quick.form["merchant"]) + str(quick.form["assignee"])
    assert "A&amp;B &quot;家具&quot;" in shown and "&lt;b&gt;床垫&lt;/b&gt;" in shown and "外商场" not in shown
    assert "小 王" in shown and "officer&lt;&amp;&gt;" in shown and ">李<" in shown
    assert shown.count(" selected") == 2  # the chosen option, or the "all" one, in each
    if chosen == "merchant":
        assert f'value="{merchants[1].pk}" selected' in shown
    if chosen == "assignee":
        assert f'value="{named.pk}" selected' in shown


def test_one_query_per_drop_down_and_no_model_instances(register_lists, mall, django_assert_num_queries):
    supervisor, _merchants, _named = register_lists
    filterset = ComplaintFilter(None, queryset=Complaint.objects.all(), user=supervisor, mall=mall)
    for name in ("merchant", "assignee"):
        choices = list(filterset.form.fields[name].choices)
        assert all(not isinstance(value, ModelChoiceIteratorValue) for value, _label in choices), name
        with django_assert_num_queries(1):
            str(filterset.form[name])


def test_a_chosen_value_is_checked_against_the_queryset(register_lists, mall, other_mall):
    supervisor, merchants, _named = register_lists
    foreign = MerchantFactory(mall=other_mall)
    scope = Complaint.objects.all()
    ok = ComplaintFilter({"merchant": str(merchants[0].pk)}, queryset=scope, user=supervisor, mall=mall)
    assert ok.is_valid()
    refused = ComplaintFilter({"merchant": str(foreign.pk)}, queryset=scope, user=supervisor, mall=mall)
    assert not refused.is_valid() and "merchant" in refused.errors


def test_head_office_gets_hidden_inputs_that_still_filter(
    register_lists, mall, other_mall, staff, django_assert_num_queries
):
    _supervisor, merchants, named = register_lists
    head_office = staff(Role.HEAD_OFFICE)
    foreign = MerchantFactory(mall=other_mall, brand="外商场二")
    theirs = ComplaintFactory(mall=other_mall, merchant=foreign, booth=None)
    ours = ComplaintFactory(mall=mall, merchant=merchants[0], booth=None, assignee=named)
    scope = Complaint.objects.all()
    plain = ComplaintFilter(None, queryset=scope, user=head_office, mall=None)
    # No value named: the querysets that would check one are not even made, and nothing is read.
    assert all(plain.filters[name].queryset.query.is_empty() for name in ("merchant", "assignee"))
    with django_assert_num_queries(0):
        shown = str(plain.form["merchant"]) + str(plain.form["assignee"])
    assert shown == '<input type="hidden" name="merchant" class="form-select form-select-sm" id="id_merchant">' + (
        '<input type="hidden" name="assignee" class="form-select form-select-sm" id="id_assignee">'
    )
    # A link naming a merchant of any mall, or an assignee, still filters.
    by_merchant = ComplaintFilter({"merchant": str(foreign.pk)}, queryset=scope, user=head_office, mall=None)
    assert by_merchant.is_valid() and list(by_merchant.qs) == [theirs]
    assert f'value="{foreign.pk}"' in str(by_merchant.form["merchant"])
    by_assignee = ComplaintFilter({"assignee": str(named.pk)}, queryset=scope, user=head_office, mall=None)
    assert by_assignee.is_valid() and ours in by_assignee.qs and theirs not in by_assignee.qs
    for name in ("merchant", "assignee"):
        wrong = ComplaintFilter({name: "999999"}, queryset=scope, user=head_office, mall=None)
        assert not wrong.is_valid() and name in wrong.errors
    named_values = {"p-merchant": str(foreign.pk), "p-assignee": str(named.pk)}
    prefixed = ComplaintFilter(named_values, queryset=scope, user=head_office, mall=None, prefix="p")
    assert prefixed.is_valid() and list(prefixed.qs) == []  # both named: no complaint has both


def _sql(queryset):
    return queryset.query.get_compiler(queryset.db).as_sql()


def test_a_malls_drop_downs_run_the_orms_statements_compiled_once(
    register_lists, mall, staff, django_assert_num_queries
):
    """The drop-downs' options come from statements compiled once per process (fixedsql): the
    SQL and parameters the ORM writes for the checking querysets' values_list(), really compiled
    (not fallen back to the ORM), for a mall's staff and for head office with a mall chosen."""
    supervisor, _merchants, _named = register_lists
    for user in (supervisor, staff(Role.HEAD_OFFICE)):
        filterset = ComplaintFilter(None, queryset=Complaint.objects.all(), user=user, mall=mall)
        with django_assert_num_queries(2):
            html = str(filterset.form["merchant"]) + str(filterset.form["assignee"])
        assert html == str(_stock(filterset).form["merchant"]) + str(filterset.form["assignee"])
        for name, statement, queryset in (
            ("merchant", _merchant_options(), ComplaintFilter._merchants(user, mall).values_list("pk", "brand")),
            (
                "assignee",
                _assignee_options(),
                ComplaintFilter._handlers(user, mall).values_list("pk", "first_name", "last_name", "username"),
            ),
        ):
            compiled = statement._statements[queryset.db]
            assert compiled is not False, f"{name}: fell back to the ORM"
            sql, params = _sql(queryset)
            assert compiled[0] == sql, name
            values = (mall.pk,) if name == "merchant" else (mall.pk, mall.pk)
            assert statement._params(connection, values) == list(params), name
            assert statement.rows(*values) == list(queryset), name


def test_a_new_merchant_or_handler_is_offered_at_once(register_lists, mall, staff):
    supervisor, _merchants, _named = register_lists

    def shown():
        filterset = ComplaintFilter(None, queryset=Complaint.objects.all(), user=supervisor, mall=mall)
        return str(filterset.form["merchant"]) + str(filterset.form["assignee"])

    before = shown()
    newcomer = staff(Role.COMPLAINT_OFFICER, first_name="新", last_name="人")
    ComplaintFactory(mall=mall, assignee=newcomer)
    MerchantFactory(mall=mall, brand="新商户")
    after = shown()
    assert "新商户" not in before and "新 人" not in before
    assert "新商户" in after and "新 人" in after


def test_the_checking_querysets_are_made_only_for_a_submitted_value(register_lists, mall):
    supervisor, merchants, named = register_lists
    scope = Complaint.objects.all()
    plain = ComplaintFilter({"status": "assigned"}, queryset=scope, user=supervisor, mall=mall)
    assert plain.is_valid()
    assert all(plain.form.fields[name].queryset.query.is_empty() for name in ("merchant", "assignee"))
    chosen = ComplaintFilter(
        {"merchant": str(merchants[0].pk), "assignee": str(named.pk)}, queryset=scope, user=supervisor, mall=mall
    )
    assert chosen.is_valid()
    assert chosen.form.cleaned_data["merchant"] == merchants[0] and chosen.form.cleaned_data["assignee"] == named
    for name, expected in (
        ("merchant", ComplaintFilter._merchants(supervisor, mall)),
        ("assignee", ComplaintFilter._handlers(supervisor, mall)),
    ):
        assert _sql(chosen.form.fields[name].queryset) == _sql(expected), name
    # Someone who is not one of the staff the drop-down offers is refused, as before.
    stranger = ComplaintFilter({"assignee": str(supervisor.pk)}, queryset=scope, user=supervisor, mall=mall)
    assert not stranger.is_valid() and "assignee" in stranger.errors


def test_a_mall_the_user_may_not_see_offers_nothing(register_lists, mall, other_mall, staff):
    """Not the user's mall (for_user_in() gives none()): the drop-downs come from the querysets,
    which offer nothing, as before; a value names nothing the user may see."""
    _supervisor, merchants, named = register_lists
    outsider = staff(Role.SUPERVISOR, in_mall=other_mall)
    scope = Complaint.objects.all()
    filterset = ComplaintFilter(None, queryset=scope, user=outsider, mall=mall)
    html = str(filterset.form["merchant"]) + str(filterset.form["assignee"])
    assert html.count("<option") == 2
    assert html == str(_stock(filterset).form["merchant"]) + str(filterset.form["assignee"])
    for name, value in (("merchant", merchants[0].pk), ("assignee", named.pk)):
        refused = ComplaintFilter({name: str(value)}, queryset=scope, user=outsider, mall=mall)
        assert not refused.is_valid() and name in refused.errors


def test_the_options_are_labelled_once_for_the_same_rows(register_lists, mall):
    """The rows are read on every page, but labelled (and written) again only when they change
    (model_choices._labelled): a renamed merchant is relabelled on the next page."""
    supervisor, merchants, _named = register_lists
    _labelled.cache_clear()

    def merchant_options():
        filterset = ComplaintFilter(None, queryset=Complaint.objects.all(), user=supervisor, mall=mall)
        return str(filterset.form["merchant"])

    first = merchant_options()
    assert merchant_options() == first
    assert _labelled.cache_info().hits == 1 and _labelled.cache_info().misses == 1
    merchants[2].brand = "顾家家居"
    merchants[2].save(update_fields=["brand"])
    renamed = merchant_options()
    assert "顾家家居" in renamed and "顾家家居" not in first
    assert _labelled.cache_info().misses == 2


def test_labels_of_unhashable_or_safe_values_still_render(mall):
    """Rows that cannot be a key (a JSON column's list) are labelled each time; a label that is
    already safe HTML is written as it is, as Django's Select would."""
    field = forms.ModelChoiceField(queryset=Complaint.objects.none(), empty_label="全部", widget=QuickSelect)
    read_choices(field, ["tags"], lambda tags: "、".join(tags), rows=lambda: [(1, ["a", "<b>"]), (2, [])])
    quick = field.widget.render("x", "1", renderer=QuickWidgetRenderer())
    assert '<option value="1" selected>a、&lt;b&gt;</option>' in quick and '<option value="2"></option>' in quick
    bold = lambda brand: mark_safe(f"<b>{brand}</b>")  # noqa: E731, S308 - a test label, safe on purpose
    read_choices(field, ["brand"], bold, rows=lambda: [(1, "床")])
    assert '<option value="1"><b>床</b></option>' in field.widget.render("x", None, renderer=QuickWidgetRenderer())
    stock = forms.Select(choices=list(field.choices)).render("x", None)
    assert field.widget.render("x", None, renderer=QuickWidgetRenderer()) == stock


def test_rows_that_are_only_equal_are_labelled_apart():
    """1 and True (or 1.0) are equal keys; as options they are written otherwise, so rows of
    different types are never given each other's options."""
    widgets = []
    for pk in (1, True, 1.0):
        field = forms.ModelChoiceField(queryset=Complaint.objects.none(), empty_label=None, widget=QuickSelect)
        read_choices(field, ["brand"], str, rows=lambda pk=pk: [(pk, "床")])
        widgets.append(field.widget.render("x", None, renderer=QuickWidgetRenderer()))
    assert 'value="1"' in widgets[0] and 'value="True"' in widgets[1] and 'value="1.0"' in widgets[2]
