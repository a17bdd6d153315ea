from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from communities import hooks
from communities.core.forms.profiles import ProfileForm
from communities.core.models.people import User
from communities.core.services.profiles import PROFILE_FIELDS, update_profile


def profile_detail(request, username: str):
    person = get_object_or_404(
        User.objects.filter(is_active=True).prefetch_related("expertise"), username=username
    )
    context = {"person": person}
    for add in hooks.registered(hooks.PROFILE_PAGE_CONTEXT):
        context.update(add(request, person))
    return render(request, "communities/profile_detail.html", context)


@login_required
def profile_edit(request):
    # A fresh row, so a rejected form never shows unsaved values in the navigation.
    user = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
        try:
            update_profile(
                actor=request.user,
                user=User.objects.get(pk=request.user.pk),
                expertise=form.cleaned_data["expertise_names"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("communities:profile-detail", username=request.user.username)
    return render(request, "communities/profile_edit.html", {"form": form})
