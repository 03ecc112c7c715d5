from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from common.views import health
from dashboards.views import public_home
from members.views import admin_login

# Language-neutral URLs: switching language, the admin, the allauth e-mail links
# keep working whatever language prefix a page had.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's own login form knows nothing of two-factor: everyone logs in through allauth.
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    # Open data for machines (Open Referral HSDS 3.0): one answer whatever the language.
    path("api/hsds/", include("referrals.hsds.urls")),
]

# Every page a person reads lives under /fr/, /nl/ or /en/, so a shared link keeps its language.
urlpatterns += i18n_patterns(
    path("", public_home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("me/", include("members.urls")),
    path("team/", include("members.team_urls")),
    path("programme/", include("programme.urls")),
    path("programme/", include("surveys.urls")),
    path("self-assessments/", include("assessments.urls")),
    path("listening-cell/", include("referrals.urls")),
    path("messages/", include("notifications.urls")),
    prefix_default_language=True,
)

admin.site.site_header = _("J'entreprends mon bien-être — administration")
