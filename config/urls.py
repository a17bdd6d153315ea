from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from communities.core.views import system
from communities.home import views as home_views


def allauth_login(request, *args, **kwargs):
    """Every login door (Django admin, Wagtail admin, /kb/ private pages) opens onto allauth's,
    so its throttling, email verification and MFA apply everywhere."""
    return redirect_to_login(
        request.GET.get(REDIRECT_FIELD_NAME) or "/", reverse("account_login"), REDIRECT_FIELD_NAME
    )


admin.site.login = allauth_login

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", system.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("cms/login/", allauth_login),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("reviews/", include("feedback.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("", include("communities.urls")),
    path("", include("communities.health.urls")),
    path("", include("communities.digests.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("kb/_util/login/", allauth_login),
    path("kb/", include(wagtail_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
