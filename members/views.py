from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .selectors import profile_for
from .services import profile_update


@login_required
def profile_edit(request):
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        profile_update(
            profile=profile,
            first_name=data.pop("first_name"),
            last_name=data.pop("last_name"),
            **data,
        )
        language = profile.preferred_language
        translation.activate(language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("members:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    return render(request, "members/profile_form.html", {"form": form})
