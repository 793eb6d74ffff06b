"""The URLs every desk page writes (the navbar's links and forms, its stylesheets and scripts),
worked out once per process instead of on every request (issue #22).

`reverse()` of a URL without arguments gives the same string on every request while the URLconf,
the script prefix and the current application are the same: those are the key. The URLconf's
resolver is a new object whenever Django clears its URL caches (a test overriding ROOT_URLCONF),
so its URLs are forgotten with it. `static()` depends on the static settings only; a test that
changes them (setting_changed) empties the cache.
"""

import weakref
from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

_reversed = weakref.WeakKeyDictionary()  # URL resolver -> {(script prefix, current app, name): URL}


def fixed_reverse(name, current_app=None):
    """reverse(name, current_app=current_app) of a URL that takes no arguments."""
    resolver = get_resolver(get_urlconf())
    urls = _reversed.get(resolver)
    if urls is None:
        urls = _reversed[resolver] = {}
    key = (get_script_prefix(), current_app, name)
    url = urls.get(key)
    if url is None:
        url = urls[key] = reverse(name, current_app=current_app)
    return url


def current_app(context):
    """The current application `{% url %}` passes to reverse() (django.template.defaulttags.URLNode)."""
    request = getattr(context, "request", None)
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None


@cache
def static_url(path):
    """static(path): the static files storage's URL of the file."""
    return static(path)


@receiver(setting_changed)
def _static_settings_changed(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS"}:
        static_url.cache_clear()
