"""The desk's navbar (templates/servicedesk/_navbar.html), rendered once per kind of page and kept.

Every desk page draws the same navbar for the same user, mall and section, yet rendering its
template cost ~3.3M instructions a page, more than a tenth of the complaint register's Python
(docs/benchmarks.md §27, issue #22). The template is rendered from `NavbarInputs` alone (a plain
dict, no request, no context processors), so what it can show is exactly what the key holds; the
rendered HTML is kept by those inputs, never by time.

What differs from request to request without changing the navbar's shape is not in the key: the
CSRF token, the page's own path (the forms' `next`), the user's name and the unread count are
rendered as random per-process markers and written in, escaped, on every page.
"""

import secrets
from functools import lru_cache
from typing import NamedTuple

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from .fixedurls import current_app as url_current_app
from .fixedurls import fixed_reverse
from .middleware import SwitcherRow

TEMPLATE = "servicedesk/_navbar.html"

# The URLs the navbar links to, by the names the template uses.
URL_NAMES = {
    "home": "home",
    "switch_mall": "switch_mall",
    "customers_find": "customers:find",
    "notifications": "notifications:list",
    "password_change": "password_change",
    "admin": "admin:index",
    "logout": "logout",
    "set_language": "set_language",
}

# Unguessable, and unchanged by HTML escaping: nothing a user types can pose as one.
_MARK = f"navbar{secrets.token_hex(12)}"
CSRF_MARK, PATH_MARK, NAME_MARK, UNREAD_MARK = (f"{_MARK}{part}" for part in ("csrf", "path", "name", "unread"))


# What a view that exempts itself from CSRF puts in the context (django.views.decorators.csrf).
NOT_PROVIDED = "NOTPROVIDED"


class Shortcut(NamedTuple):
    key: str
    label: str
    url: str


class NavbarInputs(NamedTuple):
    language: str | None
    script_prefix: str
    urlconf: str | None
    current_app: str | None
    here: tuple  # the page's (URL namespace, URL name): the active section
    signed_in: bool
    is_staff: bool
    sections: tuple
    malls: tuple  # SwitcherRows
    current_mall: SwitcherRow | None
    reads_all_malls: bool
    shortcuts: tuple
    can_find_customers: bool
    has_unread: bool
    csrf: object  # CSRF_MARK, or what the context holds when it holds no token


def navbar(context):
    """The navbar's HTML for the page being rendered with `context` (base.html's context)."""
    request = context.get("request")
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    match = getattr(request, "resolver_match", None)
    token = context.get("csrf_token")
    has_token = bool(token) and token != NOT_PROVIDED
    mall = context.get("current_mall") if signed_in else None
    inputs = NavbarInputs(
        language=translation.get_language(),
        script_prefix=get_script_prefix(),
        urlconf=get_urlconf(),
        current_app=url_current_app(context),
        here=(match.namespace, match.url_name) if match is not None else (),
        signed_in=signed_in,
        is_staff=signed_in and user.is_staff,
        sections=tuple(context.get("nav_sections") or ()) if signed_in else (),
        malls=tuple(context.get("switchable_malls") or ()) if signed_in else (),
        current_mall=SwitcherRow(mall.pk, mall.code, mall.name) if mall else None,
        reads_all_malls=signed_in and bool(context.get("reads_all_malls")),
        shortcuts=_shortcuts(context.get("desk_shortcuts")) if signed_in else (),
        can_find_customers=signed_in and bool(context.get("can_find_customers")),
        has_unread=signed_in and bool(context.get("unread_notifications")),
        csrf=CSRF_MARK if has_token else (NOT_PROVIDED if token == NOT_PROVIDED else None),
    )
    html = _rendered(inputs)
    if has_token:
        html = html.replace(CSRF_MARK, escape(token))
    html = html.replace(PATH_MARK, escape(request.get_full_path()) if request is not None else "")
    if signed_in:
        html = html.replace(NAME_MARK, escape(user.get_full_name() or user.username))
        html = html.replace(UNREAD_MARK, escape(context.get("unread_notifications")))
    return mark_safe(html)  # noqa: S308 - rendered by the template; what is written in is escaped


def _shortcuts(shortcuts):
    return tuple(Shortcut(shortcut["key"], str(shortcut["label"]), shortcut["url"]) for shortcut in shortcuts or ())


@lru_cache(maxsize=128)
def _rendered(inputs):
    # ~6 kB for a mall's staff, ~30 kB for head office (400 malls in the switcher): 128 kinds of
    # page are a few MB at most.
    urls = {name: fixed_reverse(url_name, inputs.current_app) for name, url_name in URL_NAMES.items()}
    return render_to_string(
        TEMPLATE,
        {
            **inputs._asdict(),
            "urls": urls,
            "section_links": section_links(inputs.sections, inputs.here, inputs.current_app),
            "csrf_token": inputs.csrf,
            "next_path": PATH_MARK,
            "user_name": NAME_MARK,
            "unread_notifications": UNREAD_MARK,
        },
    )


def section_links(sections, here, current_app):
    """The navbar's sections as <li>s, the page's own section active: the section's key is the
    page's URL namespace or name."""
    links = []
    for section in sections:
        active = " active" if section.key in here else ""
        url = conditional_escape(fixed_reverse(section.url_name, current_app))
        label = conditional_escape(section.nav_label or section.label)
        links.append(
            f'\n        <li class="nav-item"><a class="nav-link{active}" href="{url}">{label}</a></li>\n        '
        )
    return mark_safe("".join(links))  # noqa: S308 - every value is escaped


@receiver(setting_changed)
def _forget(**kwargs):
    # The HTML depends on the languages, the templates and the URLs: a test changing any setting
    # starts from nothing.
    _rendered.cache_clear()
