from django.urls import path

from . import manage_views as manage
from . import survey_views as surveys
from . import views

app_name = "programme"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("modules/<slug:slug>/", views.module_detail, name="module-detail"),
    path("modules/<slug:slug>/save/", views.module_save, name="module-save"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/enrol/", views.session_enrol, name="session-enrol"),
    path("sessions/<int:pk>/cancel/", views.session_unenrol, name="session-unenrol"),
    path("sessions/<int:pk>/calendar.ics", views.session_ics, name="session-ics"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar-feed"),
    # Surveys, opened from a signed link in an e-mail, without logging in.
    path("feedback/<str:token>/", surveys.feedback, name="feedback"),
    path("survey/<str:token>/", surveys.campaign_respond, name="campaign-respond"),
    path("survey-answered/", surveys.survey_thanks, name="survey-thanks"),
    # Staff pages for programme managers.
    path("manage/", manage.session_list, name="manage-sessions"),
    path("manage/sessions/new/", manage.session_create, name="manage-session-new"),
    path("manage/sessions/<int:pk>/", manage.session_roster, name="manage-session"),
    path("manage/sessions/<int:pk>/edit/", manage.session_edit, name="manage-session-edit"),
    path(
        "manage/sessions/<int:pk>/publish/", manage.session_publish, name="manage-session-publish"
    ),
    path(
        "manage/sessions/<int:pk>/duplicate/",
        manage.session_duplicate,
        name="manage-session-duplicate",
    ),
    path("manage/sessions/<int:pk>/cancel/", manage.session_cancel, name="manage-session-cancel"),
    path(
        "manage/sessions/<int:pk>/attendees.csv",
        manage.session_export,
        name="manage-session-export",
    ),
    path("manage/modules/", manage.module_list, name="manage-modules"),
    path("manage/modules/new/", manage.module_edit, name="manage-module-new"),
    path("manage/modules/<int:pk>/edit/", manage.module_edit, name="manage-module-edit"),
    path("manage/modules/<int:pk>/publish/", manage.module_publish, name="manage-module-publish"),
    path(
        "manage/modules/<int:pk>/duplicate/",
        manage.module_duplicate,
        name="manage-module-duplicate",
    ),
    path("manage/themes/", manage.theme_list, name="manage-themes"),
    path("manage/themes/new/", manage.theme_edit, name="manage-theme-new"),
    path("manage/themes/<int:pk>/edit/", manage.theme_edit, name="manage-theme-edit"),
    path("manage/themes/<int:pk>/publish/", manage.theme_publish, name="manage-theme-publish"),
    path("manage/feedback/", surveys.feedback_list, name="manage-feedback"),
    path(
        "manage/feedback/modules/<int:pk>/",
        surveys.feedback_module,
        name="manage-feedback-module",
    ),
    path(
        "manage/feedback/sessions/<int:pk>/",
        surveys.feedback_session,
        name="manage-feedback-session",
    ),
    path("manage/campaigns/", surveys.campaign_list, name="manage-campaigns"),
    path("manage/campaigns/new/", surveys.campaign_edit, name="manage-campaign-new"),
    path("manage/campaigns/<int:pk>/", surveys.campaign_detail, name="manage-campaign"),
    path("manage/campaigns/<int:pk>/edit/", surveys.campaign_edit, name="manage-campaign-edit"),
    path(
        "manage/campaigns/<int:pk>/withdraw/",
        surveys.campaign_withdraw,
        name="manage-campaign-withdraw",
    ),
]
