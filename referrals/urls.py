from django.urls import path

from . import (
    callback_views,
    case_views,
    guest_views,
    partner_space_views,
    partner_views,
    search_views,
    staff_views,
    views,
)
from .hsds import staff_views as hsds_staff_views
from .limits import signal_limits

app_name = "referrals"

urlpatterns = [
    path("partners/", views.directory, name="directory"),
    # Everyone: "Talk to someone", and a callback without an account
    path("talk/", guest_views.talk, name="talk"),
    path("talk/sent/", guest_views.talk_sent, name="talk-sent"),
    # Members
    path("request/", views.request_create, name="request-create"),
    path("request/<int:pk>/sent/", views.request_sent, name="request-sent"),
    path("my-requests/", views.my_cases, name="my-cases"),
    path(
        "my-requests/<int:pk>/detach-result/",
        views.request_detach_result,
        name="request-detach-result",
    ),
    path("my-requests/attach/<int:pk>/", guest_views.guest_case_attach, name="guest-case-attach"),
    # Ambassadors
    path("signal/", signal_limits(views.signal_create), name="signal-create"),
    path("my-signals/", views.my_signals, name="my-signals"),
    # Advisors
    path("queue/", case_views.queue, name="queue"),
    path("cases/new/", case_views.case_open, name="case-open"),
    path("cases/search/", search_views.case_search_page, name="case-search"),
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
    path(
        "cases/<int:pk>/referrals/<int:referral_pk>/send/",
        case_views.referral_send,
        name="referral-send",
    ),
    path("cases/<int:pk>/callback/", callback_views.callback_book, name="callback-book"),
    path(
        "cases/<int:pk>/callback/<int:callback_pk>/reschedule/",
        callback_views.callback_reschedule,
        name="callback-reschedule",
    ),
    path(
        "cases/<int:pk>/callback/<int:callback_pk>/cancel/",
        callback_views.callback_cancel,
        name="callback-cancel",
    ),
    path(
        "cases/<int:pk>/callback/<int:callback_pk>/done/",
        callback_views.callback_done,
        name="callback-done",
    ),
    path(
        "cases/<int:pk>/callback/<int:callback_pk>/calendar.ics",
        callback_views.callback_calendar,
        name="callback-calendar",
    ),
    path("today/", callback_views.today, name="today"),
    path("alerts/", case_views.alert_settings, name="alert-settings"),
    # Partners: the signed link of a referral sent to them (no account)
    path("partner/<str:token>/", partner_views.partner_referral, name="partner-referral"),
    # A partner organisation's staff, signed in: the referrals sent to their organisation.
    path("partner-space/", partner_space_views.partner_space, name="partner-space"),
    path(
        "partner-space/<int:pk>/",
        partner_space_views.partner_space_referral,
        name="partner-space-referral",
    ),
    # Members: did you reach the partner?
    path(
        "my-requests/referrals/<int:referral_pk>/answer/",
        views.member_referral_answer,
        name="member-referral-answer",
    ),
    # Programme managers
    path("staff/partners/", staff_views.partner_list, name="partner-list"),
    path("staff/partners/new/", staff_views.partner_create, name="partner-create"),
    path("staff/partners/import/", hsds_staff_views.partner_import, name="partner-import"),
    path("staff/partners/<int:pk>/edit/", staff_views.partner_edit, name="partner-edit"),
    path("staff/partners/<int:pk>/staff/", partner_space_views.partner_staff, name="partner-staff"),
]
