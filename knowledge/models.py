"""The knowledge base (知识库): articles and canned replies (话术), their categories, the
complaints that used them, and the mall's warranty numbers the remedy advisor reads."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.access import visible_mall_ids
from servicedesk.limits import TEXT_MAX
from servicedesk.models import Mall, MallPolicy
from servicedesk.roles import Role
from servicedesk.workflow import Transitions

BODY_MAX = 10000


class WarrantyPolicy(MallPolicy):
    """The furniture warranty pattern of DOMAIN.md §1, tagged [mall/default]: each mall's own
    promise, so every number here is a setting. The legal figures (the 6-month presumption of
    Art 23, the fraud reference of Art 55) are the law's and live in `advisor.py`."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="warranty_policies", verbose_name=_("mall"))
    warranty_months = models.PositiveSmallIntegerField(
        _("furniture warranty (months)"), default=12, validators=[MinValueValidator(12), MaxValueValidator(120)]
    )
    full_remedy_days = models.PositiveSmallIntegerField(
        _("return, exchange or repair within (days of acceptance)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    exchange_days = models.PositiveSmallIntegerField(
        _("exchange or repair within (days of acceptance)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    failed_repairs = models.PositiveSmallIntegerField(
        _("failed repairs of the same defect that give exchange or return"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    repair_days = models.PositiveSmallIntegerField(
        _("days in repair beyond which exchange or return is due"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    review_months = models.PositiveSmallIntegerField(
        _("articles are reviewed every (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    history = HistoricalRecords()

    class Meta(MallPolicy.Meta):
        verbose_name = _("warranty and knowledge policy")
        verbose_name_plural = _("warranty and knowledge policies")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.full_remedy_days and self.exchange_days and self.exchange_days < self.full_remedy_days:
            raise ValidationError({"exchange_days": _("The exchange period cannot end before the full-remedy period.")})
        if self.exchange_days and self.warranty_months and self.exchange_days > self.warranty_months * 31:
            raise ValidationError({"exchange_days": _("The exchange period cannot outlast the warranty.")})


class Category(models.Model):
    """A chain-wide heading (质量, 甲醛, 退换货, 价格 ...), kept by head office and admins."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("Article (ruling with sources)")
    REPLY = "reply", _("Canned reply (话术)")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


A = ArticleStatus
# A mall's own articles are written by its officers, supervisors and managers and published by
# the supervisor or manager; the chain's (no mall) are written and published by head office and
# administrators, who change no mall's articles.
WRITERS = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)
EDITORS = (Role.SUPERVISOR, Role.MANAGER)
CHAIN_EDITORS = (Role.HEAD_OFFICE, Role.ADMIN)
# Who cites an article on a complaint (the roles that work complaints).
CITERS = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)


class ArticleAction(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    REVIEW = "review", _("Mark reviewed")
    ARCHIVE = "archive", _("Archive")
    RESTORE = "restore", _("Restore as draft")


Act = ArticleAction
# (state, action) -> (new state, who may): a mall's article ...
ARTICLE_TRANSITIONS = Transitions(
    {
        (A.DRAFT, Act.PUBLISH): (A.PUBLISHED, EDITORS),
        (A.PUBLISHED, Act.REVIEW): (A.PUBLISHED, EDITORS),
        (A.PUBLISHED, Act.ARCHIVE): (A.ARCHIVED, EDITORS),
        (A.DRAFT, Act.ARCHIVE): (A.ARCHIVED, EDITORS),
        (A.ARCHIVED, Act.RESTORE): (A.DRAFT, EDITORS),
    },
    states=ArticleStatus,
    actions=ArticleAction,
)
# ... and the chain's: the same moves, made by head office and administrators.
CHAIN_ARTICLE_TRANSITIONS = ARTICLE_TRANSITIONS.derive(
    {key: (new, CHAIN_EDITORS) for key, (new, _roles) in ARTICLE_TRANSITIONS.items()}
)


def transitions_of(article):
    return CHAIN_ARTICLE_TRANSITIONS if article.mall_id is None else ARTICLE_TRANSITIONS


class ArticleQuerySet(models.QuerySet):
    def for_user(self, user):
        """The chain's articles and those of the user's malls (head office and admins: all)."""
        mall_ids = visible_mall_ids(user)
        if mall_ids is None:
            return self
        return self.filter(Q(mall__isnull=True) | Q(mall__in=mall_ids))

    def for_mall(self, mall):
        return self.filter(Q(mall__isnull=True) | Q(mall=mall))

    def published(self):
        return self.filter(status=A.PUBLISHED)

    def due_for_review(self, day):
        return self.published().filter(review_due__lte=day)


class Article(models.Model):
    mall = models.ForeignKey(
        Mall,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mall"),
        help_text=_("Empty: the whole chain's article, kept by head office."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ArticleKind.choices, default=ArticleKind.ARTICLE)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("knowledge category")
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=BODY_MAX, validators=[MaxLengthValidator(BODY_MAX)])
    sources = models.TextField(
        _("sources"),
        max_length=TEXT_MAX,
        validators=[MaxLengthValidator(TEXT_MAX)],
        blank=True,
        help_text=_("One per line: the statute and article, the mall's rule, the standard."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices, default=A.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    review_due = models.DateField(_("review due"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Bigrams of title, text and sources (knowledge.search); searched by full text on PostgreSQL.
    search_tokens = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_tokens"])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["category__position", "title", "pk"]
        indexes = [models.Index(fields=["status", "review_due"], name="article_review_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(review_due__isnull=False),
                name="published_article_has_review_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:detail", args=[self.pk])

    @property
    def source_lines(self):
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def is_chain(self):
        return self.mall_id is None


class ArticleUse(models.Model):
    """An article or canned reply used on a complaint: shown on the complaint and the article."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="uses", verbose_name=_("article"))
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="article_uses", verbose_name=_("complaint")
    )
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    used_at = models.DateTimeField(_("used at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("article used on a complaint")
        verbose_name_plural = _("articles used on complaints")
        ordering = ["-used_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "complaint"],
                name="article_used_once_per_complaint",
                violation_error_message=_("This article is already recorded on the complaint."),
            )
        ]

    def __str__(self):
        return f"{self.article} · {self.complaint_id}"
