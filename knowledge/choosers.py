"""Admin choosers for an article's source threads and credited people.

A chooser (a searchable modal) rather than a drop-down of every row: a select of all users or
threads would be huge, and would list people and private threads on every edit page. The
thread chooser offers only threads the editor may read, never circle threads.
"""

from django import forms
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from communities.models import Thread, User
from communities.public import visible_threads


class NameFilterForm(BaseFilterForm):
    q = forms.CharField(
        label="Search term", required=False, widget=forms.TextInput(attrs={"placeholder": "Search"})
    )
    lookups: tuple[str, ...] = ()

    def filter(self, objects):
        objects = super().filter(objects)
        if query := self.cleaned_data.get("q"):
            condition = Q()
            for lookup in self.lookups:
                condition |= Q(**{lookup: query})
            objects = objects.filter(condition)
            self.is_searching = True
            self.search_query = query
        return objects


class ThreadFilterForm(NameFilterForm):
    lookups = ("title__icontains",)


class UserFilterForm(NameFilterForm):
    lookups = ("display_name__icontains", "username__icontains")


class ThreadListMixin:
    filter_form_class = ThreadFilterForm

    def get_object_list(self):
        return (
            visible_threads(self.request.user)
            .filter(circle__isnull=True)
            .select_related("community")
            .order_by("-created_at", "-pk")
        )


class ThreadChooseView(ThreadListMixin, ChooseView):
    pass


class ThreadChooseResultsView(ThreadListMixin, ChooseResultsView):
    pass


class UserListMixin:
    filter_form_class = UserFilterForm

    def get_object_list(self):
        return User.objects.filter(is_active=True).order_by("display_name", "username", "pk")


class UserChooseView(UserListMixin, ChooseView):
    pass


class UserChooseResultsView(UserListMixin, ChooseResultsView):
    pass


class ThreadChooserViewSet(ChooserViewSet):
    model = Thread
    icon = "comment"
    choose_one_text = "Choose a thread"
    choose_another_text = "Choose another thread"
    choose_view_class = ThreadChooseView
    choose_results_view_class = ThreadChooseResultsView
    per_page = 20


class UserChooserViewSet(ChooserViewSet):
    model = User
    icon = "user"
    choose_one_text = "Choose a person"
    choose_another_text = "Choose another person"
    choose_view_class = UserChooseView
    choose_results_view_class = UserChooseResultsView
    per_page = 20


thread_chooser = ThreadChooserViewSet("knowledge_thread_chooser", url_prefix="knowledge/threads")
user_chooser = UserChooserViewSet("knowledge_user_chooser", url_prefix="knowledge/people")
