"""The merchant's open cases (complaints, returns, compensations) for the exit checklist.

Each app that has cases against merchants registers a provider in its AppConfig.ready():

    from merchants.open_cases import register_open_cases
    register_open_cases("complaints", _("Complaints"), open_complaints_of)

A provider takes a merchant and returns a queryset or list of records, each with `number`,
`get_absolute_url()` and a short `__str__`. Until an app registers, its list is simply absent.
"""

from dataclasses import dataclass

from servicedesk.access import roles_in
from servicedesk.navigation import section as desk_section


@dataclass(frozen=True)
class CaseProvider:
    key: str
    label: str
    cases_of: object
    # The page listing every case of the kind against a merchant (open and ended), and the desk
    # section a role needs to open it (servicedesk.navigation); None when the app has no such page.
    all_url: object = None
    section: str = ""
    all_label: str = ""


_PROVIDERS = {}


def register_open_cases(key, label, cases_of, *, all_url=None, section="", all_label=""):
    _PROVIDERS[key] = CaseProvider(key, label, cases_of, all_url, section, all_label)


def case_lists(merchant, user):
    """[(label, url)] of the pages listing all of the merchant's cases that `user` may open."""
    roles = roles_in(user, merchant.mall_id)
    return [
        (provider.all_label or provider.label, provider.all_url(merchant))
        for provider in _PROVIDERS.values()
        if provider.all_url and (user.is_superuser or set(desk_section(provider.section).roles) & roles)
    ]


def unregister_open_cases(key):
    _PROVIDERS.pop(key, None)


def open_cases(merchant):
    """[(provider, [cases])] for every registered kind of case, empty lists included."""
    return [(provider, list(provider.cases_of(merchant))) for provider in _PROVIDERS.values()]


def has_open_cases(merchant):
    return any(cases for _provider, cases in open_cases(merchant))
