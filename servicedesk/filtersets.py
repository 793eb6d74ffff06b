"""A django-filter FilterSet that copies less on each request.

django-filter deep-copies every declared filter for each FilterSet it makes (their choices, their
widgets, the querysets of the model drop-downs with their whole SQL trees), then Django deep-copies
every field of the form made from them once more. For the complaint register that was ~750 copies,
more Python than the page's rows (issue #22). Here each filter is copied once, shallowly, with its
own `extra` (the field's arguments, which django-filter changes per request) and its `method`
bound to the copy; the fields are made from the copies as before, and the form made for this one
FilterSet takes them as they are instead of copying them again. The form's class is made once per
FilterSet class, not once per request (django-filter's way goes through Django's form metaclass
each time). Nothing a FilterSet changes on its filters or fields reaches another
(tests/servicedesk/test_filtersets.py).
"""

import copy
from functools import cache

import django_filters


def _fresh(declared):
    """A copy of a declared filter for one FilterSet."""
    filter_ = copy.copy(declared)
    filter_.__dict__.pop("_field", None)  # the field is made per copy, from its own arguments
    filter_.extra = dict(declared.extra)
    if declared.method is not None:
        filter_.method = declared.method  # a FilterMethod bound to the copy, not to the declaration
    return filter_


class _DeclaredFilters(dict):
    def __deepcopy__(self, memo):
        return {name: _fresh(filter_) for name, filter_ in self.items()}


class _OwnFields(dict):
    """The fields of a form class made for one FilterSet: its form uses them, uncopied."""

    def __deepcopy__(self, memo):
        return dict(self)


@cache
def _form_class(filterset_class):
    """The form class of a FilterSet class, made once: django-filter makes one on every request
    (a class through Django's form metaclass) only to hold that request's fields, which here the
    form is given instead (tests/servicedesk/test_filtersets.py)."""
    base = filterset_class._meta.form

    class Form(base):
        def __init__(self, *args, own_fields, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields = own_fields  # the form's own, made for its FilterSet: nothing to copy
            self.order_fields(self.field_order)

    Form.__name__ = Form.__qualname__ = f"{filterset_class.__name__}Form"
    Form.__module__ = filterset_class.__module__
    return Form


class QuickCopyFilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        self.base_filters = _DeclaredFilters(type(self).base_filters)
        super().__init__(*args, **kwargs)

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.base_fields = _OwnFields(form_class.base_fields)
        return form_class

    @property
    def form(self):
        # django-filter's way (get_form_class()) for a FilterSet that makes its own form class, or
        # whose base form declares fields of its own (they would come first in the form).
        if type(self).get_form_class is not QuickCopyFilterSet.get_form_class or self._meta.form.base_fields:
            return super().form
        if not hasattr(self, "_form"):
            fields = {name: filter_.field for name, filter_ in self.filters.items()}
            form_class = _form_class(type(self))
            if self.is_bound:
                self._form = form_class(self.data, prefix=self.form_prefix, own_fields=fields)
            else:
                self._form = form_class(prefix=self.form_prefix, own_fields=fields)
        return self._form
