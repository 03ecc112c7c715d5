"""Django admin: survey answers and campaigns shown, never changed (managers use the staff
pages, which go through the services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programme.admin import ReadOnlyAdmin

from .models import CampaignQuestion, Decision, RoundTable, SessionFeedback, SurveyCampaign


@admin.register(SessionFeedback)
class SessionFeedbackAdmin(ReadOnlyAdmin):
    """Answers are read on the managers' statistics pages; the admin shows them, unchanged."""

    list_display = ["session", "usefulness", "quality", "recommend", "created_at"]
    list_select_related = ["session__module"]
    exclude = ["enrolment"]


class CampaignQuestionInline(admin.TabularInline):
    model = CampaignQuestion
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SurveyCampaign)
class SurveyCampaignAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Campaigns are written, scheduled and withdrawn on the managers' pages (services)."""

    list_display = ["title", "audience", "audience_value", "status", "send_at", "invited_count"]
    list_filter = ["status", "audience"]
    inlines = [CampaignQuestionInline]


@admin.register(RoundTable)
class RoundTableAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Round tables and their decisions are recorded on the managers' pages (services);
    the history keeps those deleted there."""

    list_display = ["title", "held_on", "member_count", "partner_count"]
    date_hierarchy = "held_on"


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["pk", "round_table", "status", "done_on", "published_at"]
    list_filter = ["status"]
    list_select_related = ["round_table"]
