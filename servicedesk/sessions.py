"""The session engine: Django's database sessions, with the row read by a fixed statement.

Every request of a signed-in user reads its session row; the ORM built and compiled that same
SELECT each time (~0.25 ms of Python, issue #22). Same table, same rows, same signing: the class
keeps Django's name `SessionStore`, whose qualified name is the salt of the session data
(SessionBase.key_salt), so sessions written before this engine stay valid and nobody is signed out.
Saving, expiry, key rotation (cycle_key) and clearing are Django's own.
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from .fixedsql import FixedQuery

_COLUMNS = ("session_key", "session_data", "expire_date")


@cache
def _live_session():
    """SELECT the row of this key unless it has expired (Django's SessionStore reads the same)."""
    model = db.SessionStore.get_model_class()
    return FixedQuery(
        model,
        lambda key, now: model.objects.filter(session_key=key).filter(expire_date__gt=now).values_list(*_COLUMNS),
        ("session_key", "expire_date"),
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if self.session_key is None:
            return super()._get_session_from_db()
        alias = router.db_for_read(self.model)
        rows = _live_session().rows(self.session_key, timezone.now(), using=alias)
        if not rows:
            # As Django's: a missing or expired row forgets the key (saving makes a new one).
            self._session_key = None
            return None
        return self.model.from_db(alias, _COLUMNS, rows[0])
