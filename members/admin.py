from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import MemberProfile, User
from .roles import role_label
from .services import member_erase


class MemberProfileInline(admin.StackedInline):
    model = MemberProfile
    can_delete = False


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MemberProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    # Deleting a person is erasing them: every app's eraser runs (seats freed, cases
    # anonymised, results deleted…), as when members delete their own account. The
    # confirmation page already refuses accounts that protected records point to.
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            # Roles in words, not the groups' code names.
            field.label_from_instance = lambda group: role_label(group.name)
        return field

    def get_deleted_objects(self, objs, request):
        _deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        # The erasure decides what goes with the person (messages, calendar feed…), not
        # the admin's permissions on those read-only models. The page names the accounts
        # and counts the rest: listing each row would show an administrator the member's
        # self-assessments, which are theirs alone.
        return [str(obj) for obj in objs], counts, set(), protected

    def delete_model(self, request, obj):
        member_erase(user=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # All the selected accounts or none: the action is one decision.
        for user in queryset:
            member_erase(user=user)
