from django.urls import path

from . import case_views, staff_views, views

app_name = "referrals"

urlpatterns = [
    path("partners/", views.directory, name="directory"),
    # Members
    path("request/", views.request_create, name="request-create"),
    path("my-requests/", views.my_cases, name="my-cases"),
    # Ambassadors
    path("signal/", views.signal_create, name="signal-create"),
    path("my-signals/", views.my_signals, name="my-signals"),
    # Advisors
    path("queue/", case_views.queue, name="queue"),
    path("cases/<int:pk>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:pk>/result/", case_views.case_result, name="case-result"),
    path("cases/<int:pk>/claim/", case_views.case_claim, name="case-claim"),
    path("cases/<int:pk>/assign/", case_views.case_assign, name="case-assign"),
    path("cases/<int:pk>/contact/", case_views.case_contact, name="case-contact"),
    path("cases/<int:pk>/note/", case_views.case_note, name="case-note"),
    path("cases/<int:pk>/refer/", case_views.case_refer, name="case-refer"),
    path(
        "cases/<int:pk>/referrals/<int:referral_pk>/reached/",
        case_views.referral_reached,
        name="referral-reached",
    ),
    path("cases/<int:pk>/follow-up/", case_views.case_follow_up, name="case-follow-up"),
    path("cases/<int:pk>/close/", case_views.case_close, name="case-close"),
    path("alerts/", case_views.alert_settings, name="alert-settings"),
    # Programme managers
    path("staff/partners/", staff_views.partner_list, name="partner-list"),
    path("staff/partners/new/", staff_views.partner_create, name="partner-create"),
    path("staff/partners/<int:pk>/edit/", staff_views.partner_edit, name="partner-edit"),
]
