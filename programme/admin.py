"""Django admin: a read-mostly view for administrators; managers use the staff pages.

Enrolments change only through the services (capacity, waitlist, audit trail), so the
admin shows them without letting anyone edit them.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CalendarFeed,
    Enrolment,
    EnrolmentEvent,
    Module,
    SavedModule,
    Session,
    Theme,
)
from .services import module_refresh_search
from .statistics import statistics_forget_all


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "name_fr", "name_nl", "name_en", "position", "is_published"]


@admin.register(Module)
class ModuleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "format", "language", "is_published"]
    list_filter = ["format", "language", "is_published"]
    search_fields = ["title", "slug", "provider"]
    readonly_fields = ["slug", "search_text", "version_group"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        module_refresh_search(form.instance)
        statistics_forget_all()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Capacity and cancellation move seats: only the staff pages (services) change them."""

    list_display = ["module", "starts_at", "mode", "capacity", "confirmed_count", "is_published"]
    list_filter = ["mode", "is_published", "province"]
    list_select_related = ["module"]
    date_hierarchy = "starts_at"


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["session", "user", "status", "queued_at", "attendance"]
    list_filter = ["status", "attendance"]
    list_select_related = ["session__module", "user"]
    raw_id_fields = ["session", "user"]


@admin.register(EnrolmentEvent)
class EnrolmentEventAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "action", "actor", "created_at"]
    list_filter = ["action"]
    list_select_related = ["enrolment__session__module", "enrolment__user", "actor"]


@admin.register(SavedModule)
class SavedModuleAdmin(ReadOnlyAdmin):
    list_display = ["user", "module", "created_at"]
    list_select_related = ["user", "module"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]
