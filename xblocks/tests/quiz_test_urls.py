"""URL names the workbench runtime reverses (handler and resource URLs); the tests call
handlers through the runtime, so the views are never reached."""

from django.http import HttpResponseNotFound
from django.urls import re_path


def not_served(request, *args, **kwargs):
    return HttpResponseNotFound()


urlpatterns = [
    re_path(r"^handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$", not_served, name="handler"),
    re_path(r"^unauth_handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$", not_served,
            name="unauth_handler"),
    re_path(r"^resource/(?P<block_type>[^/]+)/(?P<resource>.*)$", not_served, name="package_resource"),
]
