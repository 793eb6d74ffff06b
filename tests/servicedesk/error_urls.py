"""The project's URLs plus a view that fails, for the 500 page's test."""

from django.urls import path

from servicedesk.urls import handler400, handler403, handler404, handler500, urlpatterns


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*urlpatterns, path("broken/", broken)]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
