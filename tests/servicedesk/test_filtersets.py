"""QuickCopyFilterSet (servicedesk.filtersets, issue #22) copies each declared filter once,
shallowly: nothing one FilterSet changes on its filters, their arguments or its form's fields
reaches another FilterSet or the declarations, and method filters call their own FilterSet."""

import django_filters
import pytest
from django import forms

from servicedesk.filtersets import QuickCopyFilterSet
from servicedesk.models import Mall
from tests.factories import MallFactory

pytestmark = pytest.mark.django_db


class MallFilter(QuickCopyFilterSet):
    code = django_filters.CharFilter(method="by_code", label="code")
    active = django_filters.ChoiceFilter(
        field_name="is_active", choices=[("1", "yes"), ("", "no")], widget=forms.Select(attrs={"x": "1"})
    )
    twin = django_filters.ModelChoiceFilter(field_name="pk", queryset=Mall.objects.none())

    class Meta:
        model = Mall
        fields = []

    def __init__(self, *args, twin_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = []
        if twin_of is not None:
            self.filters["twin"].queryset = Mall.objects.filter(pk=twin_of.pk)
            self.form.fields["active"].widget.attrs["class"] = "mine"

    def by_code(self, queryset, name, value):
        self.calls.append(value)
        return queryset.filter(code=value)


def test_filtersets_share_nothing_they_change(mall, other_mall):
    first = MallFilter({"code": mall.code}, queryset=Mall.objects.all(), twin_of=mall)
    second = MallFilter({"code": other_mall.code}, queryset=Mall.objects.all())
    for name in ("code", "active", "twin"):
        assert first.filters[name] is not second.filters[name] is not MallFilter.base_filters[name]
        assert first.filters[name].extra is not second.filters[name].extra
        assert first.form.fields[name] is not second.form.fields[name]
        assert first.form.fields[name].widget is not second.form.fields[name].widget
        assert "_field" not in MallFilter.base_filters[name].__dict__
    assert first.form.fields["active"].widget.attrs == {"x": "1", "class": "mine"}
    assert second.form.fields["active"].widget.attrs == {"x": "1"}
    assert MallFilter.base_filters["active"].extra["widget"].attrs == {"x": "1"}
    assert list(first.form.fields["twin"].queryset) == [mall]
    assert list(second.form.fields["twin"].queryset) == []
    assert MallFilter.base_filters["twin"].queryset.query.is_empty()


def test_each_method_filter_calls_its_own_filterset(mall, other_mall):
    first = MallFilter({"code": mall.code}, queryset=Mall.objects.all())
    second = MallFilter({"code": other_mall.code}, queryset=Mall.objects.all())
    assert list(second.qs) == [other_mall]
    assert list(first.qs) == [mall]
    assert first.calls == [mall.code] and second.calls == [other_mall.code]
    assert first.filters["code"].filter.f is first.filters["code"]


def test_the_form_validates_and_renders_as_before(mall):
    MallFactory(code="HZ01")
    bound = MallFilter({"active": "1", "twin": "999999"}, queryset=Mall.objects.all(), twin_of=mall)
    assert not bound.is_valid() and "twin" in bound.errors
    ok = MallFilter({"active": "1", "twin": str(mall.pk)}, queryset=Mall.objects.all(), twin_of=mall)
    assert ok.is_valid()
    assert ok.form.cleaned_data["twin"] == mall
    assert 'value="1" selected' in str(ok.form["active"])


def test_the_form_class_is_made_once_and_its_forms_keep_their_own_fields(mall):
    first = MallFilter({"active": "1"}, queryset=Mall.objects.all(), twin_of=mall)
    second = MallFilter(None, queryset=Mall.objects.all(), prefix="p")
    assert type(first.form) is type(second.form)
    assert type(first.form).__name__ == "MallFilterForm" and not type(first.form).base_fields
    assert list(first.form.fields) == list(second.form.fields) == ["code", "active", "twin"]
    assert first.form.fields["twin"] is first.filters["twin"].field
    assert first.form.fields is not second.form.fields
    assert first.form.is_bound and not second.form.is_bound and second.form.prefix == "p"
    assert 'name="p-code"' in str(second.form["code"])
    assert first.form.fields["active"].widget.attrs["class"] == "mine"
    assert "class" not in second.form.fields["active"].widget.attrs


class OwnFormClass(MallFilter):
    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.made_here = True
        return form_class


def test_a_filterset_making_its_own_form_class_keeps_it(mall):
    made = OwnFormClass(None, queryset=Mall.objects.all())
    assert made.form.made_here and list(made.form.fields) == ["code", "active", "twin"]
