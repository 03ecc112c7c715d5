"""How long a signed-in session lasts.

Members choose at login: "stay signed in" keeps them signed in for SESSION_COOKIE_AGE
(14 days), otherwise the session ends with the browser (allauth's remember-me,
ACCOUNT_SESSION_REMEMBER = None). Staff accounts read other people's data: their session
ends after STAFF_SESSION_IDLE_MINUTES without a request, whatever they chose.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .roles import Role, roles_of


def is_staff_account(user) -> bool:
    """Any role beyond member's, or the Django staff and superuser flags."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or bool(roles_of(user) - {Role.MEMBER})


# The session is saved (one more query) at most this often to push its end back: the
# idle limit is then exact to within this much.
REFRESH_EVERY = timedelta(minutes=1)


def _push_back_staff_end(session, user) -> None:
    if not is_staff_account(user):
        return
    latest_end = timezone.now() + timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES)
    ends = session.get_expiry_date()
    if session.get_expire_at_browser_close() or not (
        latest_end - REFRESH_EVERY <= ends <= latest_end
    ):
        session.set_expiry(latest_end)


def start_staff_session(sender, request, user, **kwargs) -> None:
    """At login (user_logged_in), before the first page: the idle limit from the start."""
    if request is not None and hasattr(request, "session"):
        _push_back_staff_end(request.session, user)


class StaffIdleTimeoutMiddleware:
    """Staff requests push the end of the session to STAFF_SESSION_IDLE_MINUTES from now:
    the session ends after that long idle, on the server and in the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view: a login in this very request counts, and the idle limit
        # replaces whatever expiry allauth's remember-me set.
        user = getattr(request, "user", None)
        if user is not None and hasattr(request, "session"):
            _push_back_staff_end(request.session, user)
        return response
