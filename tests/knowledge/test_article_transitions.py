"""Articles through their states: who may write, publish, review, archive and restore, for a
mall's articles and the chain's; review dates from the mall's policy; citing on complaints."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from knowledge.models import ARTICLE_TRANSITIONS, Article, ArticleKind, ArticleStatus, ArticleUse, WarrantyPolicy
from knowledge.services import article_cite, article_create, article_transition, article_update
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.complaints.factories import ComplaintFactory

from .factories import category, published

pytestmark = pytest.mark.django_db


def draft(actor, mall, title="床垫甲醛超标的处理"):
    return article_create(
        actor=actor,
        mall=mall,
        kind=ArticleKind.ARTICLE,
        category=category(),
        title=title,
        body="送检合格前暂停结案。",
        sources="GB/T 39600",
    )


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.FRONT_DESK, False),
        (Role.COMPLAINT_OFFICER, True),
        (Role.PRICE_TAG_OFFICER, False),
        (Role.CLERK, False),
        (Role.SUPERVISOR, True),
        (Role.MANAGER, True),
        (Role.HEAD_OFFICE, False),
        (Role.ADMIN, False),
    ],
)
def test_who_writes_a_malls_article(staff, mall, role, may):
    actor = staff(role)
    if may:
        assert draft(actor, mall).status == ArticleStatus.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            draft(actor, mall)


@pytest.mark.parametrize(
    ("role", "may"),
    [(Role.COMPLAINT_OFFICER, False), (Role.SUPERVISOR, False), (Role.HEAD_OFFICE, True), (Role.ADMIN, True)],
)
def test_only_head_office_and_admins_write_the_chains_articles(staff, role, may):
    actor = staff(role)
    if may:
        assert draft(actor, None).is_chain
    else:
        with pytest.raises(PermissionDenied):
            draft(actor, None)


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.FRONT_DESK, False),
        (Role.COMPLAINT_OFFICER, False),
        (Role.CLERK, False),
        (Role.SUPERVISOR, True),
        (Role.MANAGER, True),
        (Role.HEAD_OFFICE, False),
        (Role.ADMIN, False),
    ],
)
def test_who_publishes_a_malls_article(staff, mall, role, may):
    article = draft(staff(Role.COMPLAINT_OFFICER), mall)
    actor = staff(role)
    if may:
        article = article_transition(article=article, action="publish", actor=actor)
        assert article.status == ArticleStatus.PUBLISHED
        assert article.review_due == timezone.localdate() + relativedelta(months=12)
        assert article.reviewed_by == actor
    else:
        with pytest.raises(PermissionDenied):
            article_transition(article=article, action="publish", actor=actor)
        article.refresh_from_db()
        assert article.status == ArticleStatus.DRAFT


def test_another_malls_supervisor_cannot_publish(staff, mall, other_mall):
    article = draft(staff(Role.COMPLAINT_OFFICER), mall)
    with pytest.raises(PermissionDenied):
        article_transition(article=article, action="publish", actor=staff(Role.SUPERVISOR, in_mall=other_mall))


def test_the_whole_table(staff, mall):
    """Every (state, action) pair of the table moves as written; every other pair is refused."""
    supervisor = staff(Role.SUPERVISOR)
    states = list(ArticleStatus)
    actions = {action for _state, action in ARTICLE_TRANSITIONS}
    for state in states:
        for action in actions:
            article = draft(supervisor, mall, title=f"{state}-{action}")
            path = {
                ArticleStatus.DRAFT: [],
                ArticleStatus.PUBLISHED: ["publish"],
                ArticleStatus.ARCHIVED: ["archive"],
            }[state]
            for step in path:
                article = article_transition(article=article, action=step, actor=supervisor)
            assert article.status == state
            if (state, action) in ARTICLE_TRANSITIONS:
                moved = article_transition(article=article, action=action, actor=supervisor)
                assert moved.status == ARTICLE_TRANSITIONS[(state, action)][0]
            else:
                with pytest.raises(TransitionRefused):
                    article_transition(article=article, action=action, actor=supervisor)


def test_review_moves_the_review_date_by_the_malls_months(staff, mall):
    WarrantyPolicy.objects.create(mall=mall, effective_from=timezone.localdate(), review_months=6)
    supervisor = staff(Role.SUPERVISOR)
    article = article_transition(article=draft(supervisor, mall), action="publish", actor=supervisor)
    assert article.review_due == timezone.localdate() + relativedelta(months=6)
    article.review_due = timezone.localdate() - timedelta(days=1)
    article.save(update_fields=["review_due"])
    reviewed = article_transition(article=article, action="review", actor=supervisor)
    assert reviewed.review_due == timezone.localdate() + relativedelta(months=6)


def test_chain_articles_are_published_by_head_office_only(staff, mall):
    head_office = staff(Role.HEAD_OFFICE)
    article = draft(head_office, None)
    with pytest.raises(PermissionDenied):
        article_transition(article=article, action="publish", actor=staff(Role.MANAGER))
    assert article_transition(article=article, action="publish", actor=head_office).status == ArticleStatus.PUBLISHED


def test_an_archived_article_is_restored_before_editing(staff, mall):
    supervisor = staff(Role.SUPERVISOR)
    article = article_transition(article=draft(supervisor, mall), action="archive", actor=supervisor)
    with pytest.raises(ValidationError):
        article_update(article=article, actor=supervisor, title="新标题")
    article = article_transition(article=article, action="restore", actor=supervisor)
    assert article_update(article=article, actor=supervisor, title="新标题").title == "新标题"


def test_editing_reindexes_the_text(staff, mall):
    supervisor = staff(Role.SUPERVISOR)
    article = article_update(article=draft(supervisor, mall), actor=supervisor, body="抽屉滑轨异响")
    assert "滑轨" in article.search_tokens.split()
    assert "暂停" not in article.search_tokens.split()


def test_bad_input_saves_nothing(staff, mall):
    supervisor = staff(Role.SUPERVISOR)
    with pytest.raises(ValidationError) as caught:
        article_create(actor=supervisor, mall=mall, kind="nonsense", category=category(), title="", body="x" * 10001)
    assert {"kind", "title", "body"} <= set(caught.value.message_dict)
    assert not Article.objects.exists()


def test_citing_on_a_complaint(staff, mall, other_mall):
    supervisor = staff(Role.SUPERVISOR)
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall)
    article = published(supervisor, supervisor, mall, "质量问题90天内可退", "…")
    use = article_cite(article=article, complaint=complaint, actor=officer)
    assert article_cite(article=article, complaint=complaint, actor=officer) == use
    assert ArticleUse.objects.count() == 1

    unpublished = draft(supervisor, mall, title="草稿")
    with pytest.raises(ValidationError):
        article_cite(article=unpublished, complaint=complaint, actor=officer)

    elsewhere = ComplaintFactory(mall=other_mall)
    with pytest.raises(PermissionDenied):
        article_cite(article=article, complaint=elsewhere, actor=staff(Role.SUPERVISOR, in_mall=other_mall))
    with pytest.raises(PermissionDenied):
        article_cite(article=article, complaint=complaint, actor=staff(Role.CLERK))


def test_chain_article_may_be_cited_in_any_mall(staff, mall, other_mall):
    head_office = staff(Role.HEAD_OFFICE)
    article = published(head_office, head_office, None, "欺诈三倍赔偿", "…")
    complaint = ComplaintFactory(mall=other_mall)
    use = article_cite(article=article, complaint=complaint, actor=staff(Role.COMPLAINT_OFFICER, in_mall=other_mall))
    assert use.complaint == complaint
