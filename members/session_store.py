"""Django's database sessions, read with one plain statement.

Every signed-in request reads its session before anything else. Built by the ORM, that
`Session.objects.get(session_key=…, expire_date__gt=now)` cost more to compile than the
rest of a member's page kept in the cache (dashboards.member_cache) spent reading its
own rows: about 0.25 ms of Python a request, against 0.05 ms for the same SELECT
written once (measured on bench/generate.py's design-scale database). Writing, expiry
and clearsessions are Django's own. A session names the backend that signed it in: one
saved under an older name (members.auth_backends.RENAMED) reads with the new one.
"""

from functools import cache

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .auth_backends import RENAMED


@cache
def _load_sql(alias: str) -> str:
    model = db.SessionStore.get_model_class()
    quote = connections[alias].ops.quote_name
    return (
        f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
    )


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_load_sql(alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            # As Django's: an unknown or expired key gets a new one when saved.
            self._session_key = None
            return {}
        data = self.decode(row[0])
        # Signed in before members.auth_backends: the same backend under its new name.
        if data.get(BACKEND_SESSION_KEY) in RENAMED:
            data[BACKEND_SESSION_KEY] = RENAMED[data[BACKEND_SESSION_KEY]]
        return data
