from django.urls import path

from . import privacy_views, views

app_name = "members"

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    # The member's privacy space; url names start with "privacy" (the settings nav).
    path("privacy/", privacy_views.privacy_overview, name="privacy"),
    path(
        "privacy/consents/<str:kind>/withdraw/",
        privacy_views.consent_withdraw,
        name="privacy-consent-withdraw",
    ),
    path(
        "privacy/consents/<str:kind>/give/",
        privacy_views.consent_give,
        name="privacy-consent-give",
    ),
    path("privacy/my-data/", privacy_views.data_export, name="privacy-export"),
    path(
        "privacy/my-data/download/",
        privacy_views.data_export_download,
        name="privacy-export-download",
    ),
    path("privacy/delete-my-account/", privacy_views.account_erase, name="privacy-erase"),
]
