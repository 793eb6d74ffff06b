"""The shared domain: malls, staff membership, customers, and the small tables every app uses."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Right
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .access import visible_mall_ids
from .limits import TEXT_MAX
from .phones import mask_phone, validate_business_phone, validate_mobile, validate_phone
from .roles import CHAIN_ROLES, Role

CHAIN_ROLE_VALUES = sorted(role.value for role in CHAIN_ROLES)


class MallScopedQuerySet(models.QuerySet):
    """Every mall-owned model's queryset: `Model.objects.for_user(user)` is what a user may see.

    Head office and admins see all malls; everyone else sees only the malls they are a member
    of. Lookups through this queryset make another mall's record a 404, never a 403.
    """

    mall_lookup = "mall"

    def for_user(self, user):
        mall_ids = visible_mall_ids(user)
        if mall_ids is None:
            return self
        return self.filter(**{f"{self.mall_lookup}__in": mall_ids})

    def for_mall(self, mall):
        return self.filter(**{self.mall_lookup: mall})

    def for_user_in(self, user, mall):
        """`for_user(user)`, narrowed to `mall` when one is given: what the user may see of that
        mall, nothing if it is not one of theirs. One condition instead of both (`mall IN (their
        malls) AND mall = this one`), one `filter()` less for the pages that build several
        querysets per request (the register, issue 22)."""
        if mall is None:
            return self.for_user(user)
        if type(self).for_user is not MallScopedQuerySet.for_user:
            return self.for_user(user).for_mall(mall)  # a queryset with its own rule keeps it
        if not self.whole_mall(user, mall):
            return self.none()
        return self.for_mall(mall)

    def whole_mall(self, user, mall):
        """Whether `for_user_in(user, mall)` is exactly `for_mall(mall)`: a mall is given, the user
        may see it, and the queryset has no rule of its own. A page may then run a statement
        compiled once for `for_mall` (servicedesk/fixedsql.py) instead of building the queryset."""
        if mall is None or type(self).for_user is not MallScopedQuerySet.for_user:
            return False
        mall_ids = visible_mall_ids(user)
        return mall_ids is None or getattr(mall, "pk", mall) in mall_ids


class MallQuerySet(MallScopedQuerySet):
    mall_lookup = "pk"

    def active(self):
        return self.filter(is_active=True)

    def active_during(self, period):
        """Malls active on at least one day of the period: active now, or made inactive on or
        after its first day. A past week keeps the malls it had."""
        return self.filter(models.Q(is_active=True) | models.Q(deactivated_on__gte=period.first_day))


# The date every policy row that existed before versioning takes effect from: those rows were
# the rules in force for the whole history the desk holds.
POLICY_EPOCH = date(2000, 1, 1)


def _today():
    return timezone.localdate()


class MallPolicy(models.Model):
    """Base of every app's per-mall settings, versioned by the date they take effect.

    A mall has one row per version: (mall, effective_from). The version in force on a day is the
    one with the latest `effective_from` on or before it; a mall with no row uses the DOMAIN.md
    defaults (an unsaved instance, so reading a policy never writes). Reports measure a period
    by the version in force on its first day, so a change never rewrites a period already begun.
    Subclasses declare `mall = models.ForeignKey(Mall, ..., related_name="<app>_policies")` and
    keep `class Meta(MallPolicy.Meta)` for the one-version-per-day constraint.
    """

    effective_from = models.DateField(
        _("takes effect on"),
        default=_today,
        help_text=_(
            "The first day these settings apply. Past periods keep the settings they were measured by, "
            "so a new version cannot take effect before today."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["mall", "-effective_from"]
        get_latest_by = "effective_from"
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "effective_from"],
                name="%(app_label)s_%(class)s_one_version_per_day",
                violation_error_message=_("This mall already has a version of these settings taking effect that day."),
            ),
        ]

    def __str__(self):
        return f"{self.mall} · {self.effective_from:%Y-%m-%d}"

    @classmethod
    def for_mall(cls, mall, on=None):
        """The version in force for `mall` on `on` (default: today), or the defaults unsaved."""
        mall_id = getattr(mall, "pk", mall)
        on = on or timezone.localdate()
        policy = cls.objects.filter(mall_id=mall_id, effective_from__lte=on).order_by("-effective_from").first()
        return policy or cls._defaults(mall)

    @classmethod
    def in_force(cls, malls, on=None):
        """{mall id: version in force on `on`} for many malls in one query, defaults unsaved."""
        on = on or timezone.localdate()
        ids = [getattr(m, "pk", m) for m in malls]
        found = {}
        rows = cls.objects.filter(mall_id__in=ids, effective_from__lte=on).order_by("mall_id", "-effective_from")
        for policy in rows:
            found.setdefault(policy.mall_id, policy)
        by_id = {getattr(m, "pk", m): m for m in malls}
        return {pk: found.get(pk) or cls._defaults(by_id[pk]) for pk in ids}

    @classmethod
    def _defaults(cls, mall):
        policy = cls(effective_from=POLICY_EPOCH)
        if isinstance(mall, Mall):
            policy.mall = mall
        else:
            policy.mall_id = mall
        return policy

    @property
    def is_default(self):
        """True for the DOMAIN.md defaults of a mall whose settings were never edited."""
        return self.pk is None

    def clean(self):
        super().clean()
        if self.effective_from is None:
            return
        previous = None
        if self.pk is not None:
            previous = type(self).objects.filter(pk=self.pk).values_list("effective_from", flat=True).first()
        today = timezone.localdate()
        if self.effective_from < today and self.effective_from != previous:
            raise ValidationError(
                {
                    "effective_from": _(
                        "Settings cannot take effect before today: past periods keep the settings "
                        "they were measured by."
                    )
                }
            )
        if previous is not None and previous < today:
            raise ValidationError(
                _("This version is already in force and has been used; add a new version instead of changing it.")
            )


class Mall(models.Model):
    code = models.CharField(
        _("mall code"),
        max_length=8,
        unique=True,
        help_text=_("Short code used in record numbers, e.g. SH01."),
    )
    name = models.CharField(_("name"), max_length=100)
    city = models.CharField(_("city"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)
    service_phone = models.CharField(
        _("service desk phone"), max_length=20, blank=True, validators=[validate_business_phone]
    )
    opens_at = models.TimeField(_("opens at"), default="10:00")
    closes_at = models.TimeField(_("closes at"), default="21:00")
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_on = models.DateField(
        _("inactive since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the mall is made inactive; reports keep it in every period it was active."),
    )
    history = HistoricalRecords()

    objects = MallQuerySet.as_manager()

    class Meta:
        verbose_name = _("mall")
        verbose_name_plural = _("malls")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="mall_opens_before_it_closes",
                violation_error_message=_("Opening time must be before closing time."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class StaffMembershipQuerySet(MallScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class StaffMembership(models.Model):
    """A user's role in one mall, or a chain-wide role (head office, admin) with no mall."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("user"),
    )
    mall = models.ForeignKey(
        Mall,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("mall"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["mall__code", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "mall"],
                condition=models.Q(mall__isnull=False),
                name="one_role_per_user_and_mall",
                violation_error_message=_("This user already has a role in this mall."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(mall__isnull=True),
                name="one_chain_role_per_user",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(mall__isnull=True, role__in=CHAIN_ROLE_VALUES)
                    | (models.Q(mall__isnull=False) & ~models.Q(role__in=CHAIN_ROLE_VALUES))
                ),
                name="chain_roles_have_no_mall",
                violation_error_message=_(
                    "Head office and administrators work for the whole chain (no mall); "
                    "every other role belongs to one mall."
                ),
            ),
        ]

    def __str__(self):
        where = self.mall.code if self.mall_id else _("whole chain")
        return f"{self.user} · {self.get_role_display()} · {where}"


class CustomerQuerySet(MallScopedQuerySet):
    pass


class Customer(models.Model):
    """A customer of one mall, found again by mobile number (normalised, unique per mall)."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="customers", verbose_name=_("mall"))
    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    other_phone = models.CharField(
        _("other phone"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("Landline with area code, e.g. 021-62345678, or a second mobile."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "mobile"],
                name="one_customer_per_mobile_and_mall",
                violation_error_message=_("A customer with this mobile number already exists in this mall."),
            ),
        ]
        # Head office looks a caller up by mobile in every mall (the unique index leads by mall),
        # and the desk asks for "the customer whose mobile ends in 5678".
        indexes = [
            models.Index(fields=["mobile"], name="customer_mobile"),
            models.Index(Right("mobile", 4), name="customer_mobile_last4"),
        ]

    def __str__(self):
        return f"{self.name} {self.masked_mobile}"

    @property
    def masked_mobile(self):
        return mask_phone(self.mobile)


class NumberSequence(models.Model):
    """The last number issued per (prefix, mall, day); see `servicedesk.numbering`."""

    prefix = models.CharField(max_length=4)
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "mall", "day"], name="one_sequence_per_prefix_mall_day"),
        ]

    def __str__(self):
        return f"{self.prefix}-{self.mall_id}-{self.day:%Y%m%d}: {self.last}"


class Heartbeat(models.Model):
    """When a worker last ran a task and when beat last fired its schedule (for /status/)."""

    name = models.CharField(max_length=20, primary_key=True)
    last_seen = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {timezone.localtime(self.last_seen):%Y-%m-%d %H:%M:%S}"


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one member of staff, shown under the bell and e-mailed.

    `key` names the event (e.g. "complaint:42:merchant_reply_overdue"); one recipient gets one
    notification per key, so a scan that runs twice notifies once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("recipient")
    )
    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mall")
    )
    key = models.CharField(_("event key"), max_length=120)
    # Title and message are usually events (servicedesk.texts) rendered in the reader's language.
    title = models.CharField(_("title"), max_length=1000)
    body = models.TextField(_("message"), max_length=4000, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_recipient_and_event"),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
        ]

    def __str__(self):
        from .texts import render

        return render(self.title)


class PhoneViewLog(models.Model):
    """Who saw a customer's full mobile number, on which page and when (the access log).

    Lists and printouts mask numbers; a record page shows the full number only to the roles that
    call customers, and every such showing is written here. Rows are never changed or deleted.
    """

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="phone_views", verbose_name=_("customer")
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("viewed by")
    )
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True, db_index=True)
    page = models.CharField(_("page"), max_length=300)

    objects = MallScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("full number viewed")
        verbose_name_plural = _("full numbers viewed")
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["customer", "viewed_at"], name="phone_view_by_customer")]

    def __str__(self):
        return f"{self.viewer} {self.customer_id} {timezone.localtime(self.viewed_at):%Y-%m-%d %H:%M}"


class TwoFactorEvent(models.Model):
    """The audit trail of two-factor sign-in: enrolments, recovery codes used or renewed, and
    resets by an administrator (who, for whom, why). Rows are never changed or deleted."""

    class Action(models.TextChoices):
        ENROLLED = "enrolled", _("Authenticator app set up")
        RECOVERY_CODE_USED = "recovery_used", _("Recovery code used")
        RESET = "reset", _("Two-factor sign-in reset by an administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    action = models.CharField(_("event"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("two-factor event")
        verbose_name_plural = _("two-factor events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class BeatScheduleSync(models.Model):
    """What servicedesk/schedules.py last put into django-celery-beat for one schedule (a digest
    of its definition), so that an administrator's later edit stays until the code changes."""

    name = models.CharField(max_length=200, unique=True)
    digest = models.CharField(max_length=64)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synced beat schedule")
        verbose_name_plural = _("synced beat schedules")

    def __str__(self):
        return self.name
