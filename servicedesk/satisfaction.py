"""One set of words for what a customer says when called back (DOMAIN.md §6): 满意 / 基本满意 /
不满意, and 未接通 when the call did not reach them. Complaints, callbacks, home visits and the
reports all use these, so "基本满意" is 基本满意 everywhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    MOSTLY_SATISFIED = "mostly_satisfied", _("Mostly satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


NOT_REACHED = "not_reached"
NOT_REACHED_LABEL = _("Not reached")
