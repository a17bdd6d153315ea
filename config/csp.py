"""The Content-Security-Policy: the site's strict policy everywhere, the Wagtail admin's own.

The Wagtail admin (/cms/) runs inline scripts of its own and its editors evaluate code, so it
gets the looser `TRELLIS_CMS_CONTENT_SECURITY_POLICY`; every other page gets
`CONTENT_SECURITY_POLICY` (scripts from 'self' only, no inline scripts).
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse


class TrellisCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(reverse("wagtailadmin_home")) and not hasattr(
            response, "_csp_config"
        ):
            response._csp_config = settings.TRELLIS_CMS_CONTENT_SECURITY_POLICY
        return super().process_response(request, response)
