"""The signed-in user's row, read on every request by a statement compiled once per process
(issue #22).

Django reads it through the backend named in the session: for `ModelBackend` a QuerySet built and
compiled on every request (~0.3 ms of Python for a look-up by key). At a password sign-in the
session is handed to `SessionUserBackend`, which reads the same row (the same statement) with a
`FixedQuery`. `ModelBackend` stays listed: it still checks passwords and grants permissions, and
sessions made before keep reading their user through it, so nobody is signed out by the change.
"""

from functools import cache

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.backends import BaseBackend
from django.db import router
from django.db.models.query import MAX_GET_RESULTS

from .fixedsql import FixedQuery

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SESSION_USER_BACKEND = "servicedesk.session_users.SessionUserBackend"


class SessionUserBackend(BaseBackend):
    """Reads a signed-in user as ModelBackend does: the active user of that key, or None. It
    authenticates nobody and grants nothing (BaseBackend's defaults): ModelBackend does both."""

    def get_user(self, user_id):
        user_model = get_user_model()
        alias = router.db_for_read(user_model)
        rows = _user_by_key().rows(user_id, using=alias)
        if len(rows) != 1:
            return None
        (row,) = rows
        # The ORM gives an instance when the statement could not be fixed (FixedQuery's fallback).
        user = row if isinstance(row, user_model) else user_model.from_db(alias, _attnames(user_model), row)
        return user if getattr(user, "is_active", True) else None


def hand_over_session(sender, request, user, **kwargs):
    """user_logged_in: a session ModelBackend signed in is read by SessionUserBackend from now on."""
    session = getattr(request, "session", None)
    if session is not None and session.get(BACKEND_SESSION_KEY) == MODEL_BACKEND:
        session[BACKEND_SESSION_KEY] = SESSION_USER_BACKEND


@cache
def _user_by_key():
    # The statement ModelBackend.get_user sends (`_default_manager.get(pk=...)`: every column,
    # LIMIT 21), so the page's statements are the same as before.
    user_model = get_user_model()
    return FixedQuery(
        user_model,
        lambda pk: user_model._default_manager.filter(pk=pk).order_by()[:MAX_GET_RESULTS],
        (user_model._meta.pk.name,),
    )


@cache
def _attnames(user_model):
    # A model's statement selects its concrete fields in this order (what from_db() expects).
    return [field.attname for field in user_model._meta.concrete_fields]
