"""Every write of the knowledge base: articles through their states, and their use on complaints."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import require_role
from servicedesk.services import save_by
from servicedesk.texts import event
from servicedesk.workflow import lock_and_check

from . import search
from .models import (
    CHAIN_EDITORS,
    CITERS,
    WRITERS,
    Article,
    ArticleAction,
    ArticleStatus,
    ArticleUse,
    WarrantyPolicy,
    transitions_of,
)


def _writer_check(actor, mall):
    if mall is None:
        require_role(actor, None, *CHAIN_EDITORS)
    else:
        require_role(actor, mall, *WRITERS)


def _index(article):
    article.search_tokens = search.tokens(f"{article.title}\n{article.body}\n{article.sources}")


def _next_review(mall, today):
    months = WarrantyPolicy.for_mall(mall, today).review_months if mall else 12
    return today + relativedelta(months=months)


@transaction.atomic
def article_create(*, actor, mall, kind, category, title, body, sources=""):
    """A draft, in one mall or (mall None) for the whole chain."""
    _writer_check(actor, mall)
    article = Article(
        mall=mall,
        kind=kind,
        category=category,
        title=title.strip(),
        body=body.strip(),
        sources=sources.strip(),
        author=actor,
    )
    _index(article)
    return save_by(article, actor)


@transaction.atomic
def article_update(*, article, actor, **changes):
    """Change the text of a draft or a published article; archived articles are restored first."""
    article = Article.objects.select_for_update(of=("self",), no_key=True).get(pk=article.pk)
    _writer_check(actor, article.mall)
    if article.status == ArticleStatus.ARCHIVED:
        raise ValidationError(_("An archived article is restored as a draft before it is changed."))
    allowed = {"kind", "category", "title", "body", "sources"}
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(article, name, value.strip() if isinstance(value, str) else value)
    _index(article)
    return save_by(
        article, actor, update_fields=[*changes, "search_tokens", "updated_at"], reason=event("knowledge.edited")
    )


@transaction.atomic
def article_transition(*, article, action, actor):
    """Publish, mark reviewed, archive or restore, as ARTICLE_TRANSITIONS allows."""
    # An unknown action is refused by the table like any move it does not list.
    action = ArticleAction(action) if action in ArticleAction.values else action
    article, new_state = lock_and_check(article, transitions_of, action, actor)
    now = timezone.now()
    today = timezone.localdate(now)
    fields = ["status"]
    if action in (ArticleAction.PUBLISH, ArticleAction.REVIEW):
        article.review_due = _next_review(article.mall, today)
        article.reviewed_at = now
        article.reviewed_by = actor
        fields += ["review_due", "reviewed_at", "reviewed_by"]
    if action == ArticleAction.PUBLISH:
        article.published_at = now
        fields.append("published_at")
    article.status = new_state
    return save_by(article, actor, update_fields=fields, reason=event("action", action=action.label))


@transaction.atomic
def article_cite(*, article, complaint, actor, note=""):
    """Record that a published article or reply was used on a complaint (once per complaint)."""
    require_role(actor, complaint.mall_id, *CITERS)
    if article.mall_id is not None and article.mall_id != complaint.mall_id:
        raise PermissionDenied(_("This article belongs to another mall."))
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError(_("Only a published article can be used on a complaint."))
    existing = ArticleUse.objects.filter(article=article, complaint=complaint).first()
    if existing is not None:
        return existing
    use = ArticleUse(article=article, complaint=complaint, used_by=actor, used_at=timezone.now(), note=note.strip())
    try:
        with transaction.atomic():
            return save_by(use, actor)
    except IntegrityError:  # the same article cited twice at once: one row
        return ArticleUse.objects.get(article=article, complaint=complaint)
