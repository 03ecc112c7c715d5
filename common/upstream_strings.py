"""Strings that Django and its contrib apps show but ship without a Dutch translation.

Django falls back to the default language (French) for a string its Dutch catalogue
lacks, so a Dutch page would show "- Choisir une option -". Naming them here puts them
in the portal's own catalogues (locale/), which take precedence over Django's;
tests/test_translations.py fails when an upgrade brings a new one.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

UPSTREAM_STRINGS = (
    # django.forms: the empty choice of a required select (new in Django 6.1).
    gettext_noop("- Select an option -"),
    gettext_noop("No %s matches the given query."),
    gettext_noop("“%(value)s” is not a valid binary value."),
    # django.contrib.auth: password validation on sign-up and reset.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    # django.contrib.auth: the password help under sign-up and reset, said to members in
    # "tu"/"je" (docs/voice.md) where Django's own catalogues say "vous"/"uw".
    gettext_noop("Your password can’t be too similar to your other personal information."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    # django.contrib.humanize
    pgettext_lazy("ordinal is 1", "{}st"),
    # django.contrib.admin, which administrators read in their own language too.
    gettext_noop("Logout"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop('The app "%s" could not be found.'),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the "
        "following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following "
        "protected related objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    # django-simple-history's admin pages (history of staff edits): no Dutch catalogue.
    gettext_noop("Change History"),
    gettext_noop("Change reason"),
    gettext_noop("Changed"),
    gettext_noop("Changed by"),
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("Comment"),
    gettext_noop("Object"),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Revert"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Revert %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("View history: %s"),
    gettext_noop("You may edit it again below"),
)
