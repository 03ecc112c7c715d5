"""Under /programme/ beside programme's own URLs (wellbeing.urls): the links in e-mails
already sent and the managers' bookmarks keep working."""

from django.urls import path

from . import changes_views as changes
from . import feedback_views as ideas
from . import roundtable_manage_views as round_tables
from . import views as surveys

app_name = "surveys"

urlpatterns = [
    # Surveys, opened from a signed link in an e-mail, without logging in.
    path("feedback/<str:token>/", surveys.feedback, name="feedback"),
    path("survey/<str:token>/", surveys.campaign_respond, name="campaign-respond"),
    path("survey-answered/", surveys.survey_thanks, name="survey-thanks"),
    # Feedback at any time, from the footer of every page: no account needed.
    path("ideas/new/", ideas.idea_new, name="idea-new"),
    path("ideas/thanks/", ideas.idea_thanks, name="idea-thanks"),
    # What changed after members' ideas: public, no account needed.
    path("you-said-we-did/", changes.changes, name="changes"),
    # Staff pages for programme managers.
    path("manage/round-tables/", round_tables.round_table_list, name="manage-round-tables"),
    path("manage/round-tables/new/", round_tables.round_table_edit, name="manage-round-table-new"),
    path(
        "manage/round-tables/<int:pk>/",
        round_tables.round_table_detail,
        name="manage-round-table",
    ),
    path(
        "manage/round-tables/<int:pk>/edit/",
        round_tables.round_table_edit,
        name="manage-round-table-edit",
    ),
    path(
        "manage/round-tables/<int:pk>/delete/",
        round_tables.round_table_delete,
        name="manage-round-table-delete",
    ),
    path(
        "manage/round-tables/<int:round_table_pk>/decisions/new/",
        round_tables.decision_edit,
        name="manage-decision-new",
    ),
    path(
        "manage/round-tables/<int:round_table_pk>/decisions/<int:pk>/",
        round_tables.decision_edit,
        name="manage-decision",
    ),
    path("manage/ideas/", ideas.manage_ideas, name="manage-ideas"),
    path("manage/ideas/<int:pk>/", ideas.manage_idea, name="manage-idea"),
    path("manage/feedback/", surveys.feedback_list, name="manage-feedback"),
    path(
        "manage/feedback/modules/<int:pk>/",
        surveys.feedback_module,
        name="manage-feedback-module",
    ),
    path(
        "manage/feedback/modules/<int:pk>/answers.csv",
        surveys.feedback_module_csv,
        name="manage-feedback-module-csv",
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
    path("manage/campaigns/<int:pk>/answers.csv", surveys.campaign_csv, name="manage-campaign-csv"),
    path(
        "manage/campaigns/<int:pk>/withdraw/",
        surveys.campaign_withdraw,
        name="manage-campaign-withdraw",
    ),
]
