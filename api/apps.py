from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Integration API")

    def ready(self):
        from . import auth  # noqa: F401 - registers the token scheme with drf-spectacular
        from .changes import connect

        connect()
