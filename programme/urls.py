from django.urls import path

from . import (
    checkin_views,
    material_views,
    operations_views,
    series_views,
    tracks_views,
    versions_views,
    views,
)
from . import manage_views as manage

app_name = "programme"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("modules/<slug:slug>/", views.module_detail, name="module-detail"),
    path("modules/<slug:slug>/open/", views.tool_open, name="tool-open"),
    path("modules/<slug:slug>/save/", views.module_save, name="module-save"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/enrol/", views.session_enrol, name="session-enrol"),
    path("sessions/<int:pk>/cancel/", views.session_unenrol, name="session-unenrol"),
    path("sessions/<int:pk>/calendar.ics", views.session_ics, name="session-ics"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar-feed"),
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
        "manage/sessions/<int:pk>/repeat/",
        series_views.session_repeat,
        name="manage-session-repeat",
    ),
    path(
        "manage/sessions/<int:pk>/attendees.csv",
        manage.session_export,
        name="manage-session-export",
    ),
    path(
        "manage/sessions/<int:pk>/check-in/",
        checkin_views.session_checkin,
        name="manage-session-checkin",
    ),
    path(
        "manage/sessions/<int:pk>/check-in/mark/",
        checkin_views.session_checkin_mark,
        name="manage-session-checkin-mark",
    ),
    path(
        "manage/sessions/<int:pk>/sign-in-sheet.pdf",
        checkin_views.session_signin_sheet,
        name="manage-session-signin-sheet",
    ),
    path(
        "manage/sessions/<int:pk>/move/",
        operations_views.session_move,
        name="manage-session-move",
    ),
    path(
        "manage/sessions/<int:pk>/message/",
        operations_views.session_message,
        name="manage-session-message",
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
    path(
        "manage/modules/<int:pk>/versions/",
        versions_views.module_versions,
        name="manage-module-versions",
    ),
    path("manage/themes/", manage.theme_list, name="manage-themes"),
    path("manage/themes/new/", manage.theme_edit, name="manage-theme-new"),
    path("manage/themes/<int:pk>/edit/", manage.theme_edit, name="manage-theme-edit"),
    path("manage/themes/<int:pk>/publish/", manage.theme_publish, name="manage-theme-publish"),
    path("manage/search/", manage.search_synonyms, name="manage-search-synonyms"),
    # Session material: replays, slides, practical sheets. Training tracks.
    path("material/<int:pk>/file/", material_views.material_file, name="material-file"),
    path(
        "manage/sessions/<int:pk>/material/",
        material_views.session_material,
        name="manage-session-material",
    ),
    path(
        "manage/material/<int:pk>/visibility/",
        material_views.material_visibility,
        name="manage-material-visibility",
    ),
    path(
        "manage/material/<int:pk>/remove/",
        material_views.material_delete,
        name="manage-material-delete",
    ),
    path("training/", tracks_views.my_training, name="my-training"),
    path(
        "training/steps/<int:pk>/",
        tracks_views.training_step_mark,
        name="training-step-mark",
    ),
    path("manage/tracks/", tracks_views.track_list, name="manage-tracks"),
    path("manage/tracks/new/", tracks_views.track_edit, name="manage-track-new"),
    path("manage/tracks/progress.csv", tracks_views.track_export, name="manage-tracks-export"),
    path("manage/tracks/<int:pk>/", tracks_views.track_detail, name="manage-track"),
    path("manage/tracks/<int:pk>/edit/", tracks_views.track_edit, name="manage-track-edit"),
    path(
        "manage/tracks/steps/<int:pk>/",
        tracks_views.track_step_change,
        name="manage-track-step",
    ),
]
