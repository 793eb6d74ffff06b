"""One mall's approval tiers and payment period (DOMAIN.md §4 defaults)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import Mall, MallPolicy, MallScopedQuerySet
from servicedesk.roles import Role

from .choices import Tier

# Who may sign each tier. The general manager's signature is given by a head-office approver
# in this product (DOMAIN.md §4); head office writes nowhere else in this app.
TIER_ROLES = {
    Tier.MANAGER: (Role.MANAGER,),
    Tier.GENERAL_MANAGER: (Role.HEAD_OFFICE,),
    Tier.HEAD_OFFICE: (Role.HEAD_OFFICE,),
}


class CompensationPolicy(MallPolicy):
    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, related_name="compensation_policies", verbose_name=_("mall")
    )
    manager_limit = models.DecimalField(
        _("the manager approves up to (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("5000.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    general_manager_limit = models.DecimalField(
        _("the general manager approves up to (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("50000.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Above this amount head office approves as well."),
    )
    payment_working_days = models.PositiveSmallIntegerField(
        _("pay within (working days) of the final approval"), default=3, validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    objects = MallScopedQuerySet.as_manager()

    class Meta(MallPolicy.Meta):
        verbose_name = _("advance compensation settings")
        verbose_name_plural = _("advance compensation settings")

    def clean(self):
        super().clean()
        if (
            self.general_manager_limit is not None
            and self.manager_limit is not None
            and self.general_manager_limit <= self.manager_limit
        ):
            raise ValidationError(
                {"general_manager_limit": _("The general manager's limit must be above the manager's.")}
            )

    def chain_for(self, amount):
        """The tiers that must sign, in order. The chain is cumulative, like the signature boxes
        of the paper form: a larger amount adds signatures above the manager's, never skips it."""
        chain = [Tier.MANAGER]
        if amount > self.manager_limit:
            chain.append(Tier.GENERAL_MANAGER)
        if amount > self.general_manager_limit:
            chain.append(Tier.HEAD_OFFICE)
        return chain
