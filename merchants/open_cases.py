"""The merchant's open cases (complaints, returns, compensations) for the exit checklist.

Each app that has cases against merchants registers a provider in its AppConfig.ready():

    from merchants.open_cases import register_open_cases
    register_open_cases("complaints", _("Complaints"), open_complaints_of)

A provider takes a merchant and returns a queryset or list of records, each with `number`,
`get_absolute_url()` and a short `__str__`. Until an app registers, its list is simply absent.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseProvider:
    key: str
    label: str
    cases_of: object


_PROVIDERS = {}


def register_open_cases(key, label, cases_of):
    _PROVIDERS[key] = CaseProvider(key, label, cases_of)


def unregister_open_cases(key):
    _PROVIDERS.pop(key, None)


def open_cases(merchant):
    """[(provider, [cases])] for every registered kind of case, empty lists included."""
    return [(provider, list(provider.cases_of(merchant))) for provider in _PROVIDERS.values()]


def has_open_cases(merchant):
    return any(cases for _provider, cases in open_cases(merchant))
