"""Admin: the partner directory, and the access log read-only.

Cases are deliberately absent: every read of a case goes through the listening-cell
pages, which write the access log.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CaseAccess,
    Partner,
    PartnerArea,
    PartnerLanguage,
    PartnerMembership,
    PartnerNeed,
)


class PartnerNeedInline(admin.TabularInline):
    model = PartnerNeed
    extra = 0


class PartnerAreaInline(admin.TabularInline):
    model = PartnerArea
    extra = 0


class PartnerLanguageInline(admin.TabularInline):
    model = PartnerLanguage
    extra = 0


class PartnerMembershipInline(admin.TabularInline):
    # Staff accounts are invited from the partner's staff page; here the administrator
    # sees them and can remove one.
    model = PartnerMembership
    fk_name = "partner"
    extra = 0
    raw_id_fields = ["user", "invited_by"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_crisis_line", "is_active", "last_verified_on"]
    list_filter = ["kind", "is_crisis_line", "is_active"]
    search_fields = ["name", "alternate_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [
        PartnerNeedInline,
        PartnerAreaInline,
        PartnerLanguageInline,
        PartnerMembershipInline,
    ]


@admin.register(CaseAccess)
class CaseAccessAdmin(admin.ModelAdmin):
    list_display = ["accessed_at", "accessed_by", "case", "subject", "purpose"]
    list_filter = ["subject", "purpose"]
    list_select_related = ["accessed_by", "case"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
