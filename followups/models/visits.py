"""Home visits (上门拜访): a visit planned for a home-visit callback, its outcome and photos."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import Mall, MallScopedQuerySet

from .callbacks import TEXT_MAX, Callback, Outcome


class HomeVisit(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    callback = models.OneToOneField(
        Callback, on_delete=models.PROTECT, related_name="home_visit", verbose_name=_("callback")
    )
    visit_on = models.DateField(_("visit date"))
    address = models.CharField(_("address"), max_length=200)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    driver = models.CharField(_("driver"), max_length=50, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    report = models.TextField(_("visit report"), max_length=TEXT_MAX, blank=True)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MallScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["visit_on", "pk"]

    def __str__(self):
        return f"{self.visit_on} {self.address}"


def visit_photo_path(instance, filename):
    return f"home-visits/{instance.visit.mall_id}/{instance.visit_id}/{filename}"


class HomeVisitPhoto(models.Model):
    visit = models.ForeignKey(HomeVisit, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(_("photo"), upload_to=visit_photo_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("home visit photo")
        verbose_name_plural = _("home visit photos")
        ordering = ["pk"]

    def __str__(self):
        return self.image.name

    @property
    def filename(self):
        return self.image.name.rsplit("/", 1)[-1]
