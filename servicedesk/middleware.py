from collections import namedtuple
from functools import cache, lru_cache

from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from django.utils.functional import LazyObject, empty

from .access import member_malls, memberships, reads_all_malls
from .fixedsql import FixedQuery

SESSION_MALL_KEY = "servicedesk_mall_id"


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user picked English with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many of the
    desk's PCs run English-language browsers; staff should see Chinese unless they ask.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class StripNulFromQueryMiddleware:
    """Drop NUL characters from the query string's values before any view reads them.

    PostgreSQL text cannot hold NUL (0x00): a search or filter for "abc%00def" reached the
    database and failed with a 500. Forms already refuse NUL with a field message (Django's
    ProhibitNullCharactersValidator); search boxes and filters read request.GET directly, so
    they get the value without it, as if it had never been typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class CurrentMallMiddleware:
    """Sets `request.mall`: the mall the user is working in now.

    A member of one mall always works in it; a member of several picks one with the mall
    switcher (kept in the session). Head office and admins may also pick "all malls" (None).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.mall = None
        request.user = _unwrapped(request.user)
        if request.user.is_authenticated:
            request.mall = current_mall(request)
        return self.get_response(request)


def _unwrapped(user):
    """The user behind request.user's lazy wrappers (AuthenticationMiddleware's, and django-otp's
    around it), read now: from here on every page reads the user a few hundred times (roles,
    memberships, templates); through both wrappers those reads were 6% of the register's work
    (issue #22, docs/benchmarks.md §26)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def switchable_malls(user):
    from .models import Mall

    if reads_all_malls(user):
        return Mall.objects.active()
    ids = {mall_id for mall_id, _role in memberships(user) if mall_id is not None}
    return Mall.objects.filter(pk__in=ids, is_active=True)


SwitcherRow = namedtuple("SwitcherRow", ["pk", "code", "name"])


def switcher_rows(user):
    """The navbar's mall switcher: (pk, code, name) rows of `switchable_malls`, ordered by code.
    Head office's are a query, evaluated only when the switcher is drawn; a mall's staff's are
    their own active malls, already read with their memberships (no query)."""
    if reads_all_malls(user):
        return _ChainMalls()
    malls = sorted((mall for mall in member_malls(user).values() if mall.is_active), key=lambda mall: mall.code)
    return [SwitcherRow(mall.pk, mall.code, mall.name) for mall in malls]


class _ChainMalls:
    """Every active mall as SwitcherRows, read when first looked at (a page without the navbar
    reads nothing), by a statement compiled once per process: building the QuerySet alone cost
    0.1 ms of every head-office page (issue #22)."""

    def __init__(self):
        self._rows = None

    def _read(self):
        if self._rows is None:
            self._rows = _switcher_rows_of(tuple(_active_malls().rows()))
        return self._rows

    def __len__(self):
        return len(self._read())

    def __iter__(self):
        return iter(self._read())

    def __getitem__(self, index):
        return self._read()[index]


@lru_cache(maxsize=4)
def _switcher_rows_of(rows):
    # Kept by the rows themselves (read on every head-office page): a new, renamed or closed mall
    # is a new key. Making 400 SwitcherRows cost ~0.4 ms of every head-office page (issue #22), and
    # the same tuple of them lets the switcher's options be kept too (desk.mall_options).
    return tuple(SwitcherRow(*row) for row in rows)


@cache
def _active_malls():
    from .models import Mall

    return FixedQuery(Mall, lambda: Mall.objects.active().values_list("pk", "code", "name"), ())


def current_mall(request):
    from .models import Mall

    user = request.user
    linked = request.GET.get("mall", "")
    if linked and not linked.isdigit():
        # A report's drill-down link names its mall (?mall=SH01) for that page only.
        mall = switchable_malls(user).filter(code=linked).first()
        if mall is not None:
            return mall
    chosen = request.session.get(SESSION_MALL_KEY)
    # A member's malls came with the memberships: no query unless head office picked another.
    own = member_malls(user)
    own_ids = sorted(own)
    if chosen and (chosen in own_ids or reads_all_malls(user)):
        return own[chosen] if chosen in own else Mall.objects.filter(pk=chosen).first()
    if own_ids:
        return own[own_ids[0]]
    return None


class TwoFactorMiddleware:
    """With TWO_FACTOR_REQUIRED on, a manager, head-office user or administrator whose session
    has not passed the second factor reaches only the two-factor pages (and logout, the language
    switch, static files): everything else sends them to set up the app or to type its code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode

        from .two_factor import is_enrolled, needs_two_factor

        user = request.user
        if needs_two_factor(user) and not user.is_verified():
            setup, verify = reverse("two_factor_setup"), reverse("two_factor_verify")
            open_paths = (setup, verify, reverse("logout"), "/i18n/", settings.STATIC_URL)
            if not request.path.startswith(open_paths):
                target = verify if is_enrolled(user) else setup
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
