"""Community managers in the Wagtail admin: they may open it (this backend) and edit their own
community's articles (`ArticlePage.permissions_for_user`), nothing else there."""

from django.contrib.auth.backends import BaseBackend

from knowledge import permissions

ADMIN_ACCESS = "wagtailadmin.access_admin"


class CommunityManagerAdminAccess(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return perm == ADMIN_ACCESS and obj is None and permissions.manages_any_community(user_obj)
