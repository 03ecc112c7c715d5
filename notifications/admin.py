from django.contrib import admin

from .models import Delivery, MessagePreference


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries change through the sweep and the services, not by hand."""

    list_display = ["kind", "intent_key", "recipient", "status", "due_at", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["intent_key", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_at"
    raw_id_fields = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # The row is the memory that a message was sent: without it, the next sweep's
    # planner records the same intent again and the member gets it twice.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MessagePreference)
class MessagePreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "enabled", "updated_at"]
    list_filter = ["category", "enabled"]
    raw_id_fields = ["user"]
