"""The knowledge screens: list and search at a fixed query count, drafts hidden from readers,
writing through the form, the reply picker, the advisor page and panel, and the complaint page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Article, ArticleKind, ArticleStatus, ArticleUse
from knowledge.services import article_cite, article_create
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory

from .factories import category, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(staff):
    return staff(Role.SUPERVISOR)


def test_list_costs_the_same_for_many_articles(client, staff, mall, supervisor, django_assert_max_num_queries):
    for n in range(3):
        published(supervisor, supervisor, mall, f"甲醛问题{n}", "送检。")
    client.force_login(staff(Role.FRONT_DESK))
    with django_assert_max_num_queries(9) as few:
        client.get(reverse("knowledge:index"), {"q": "甲醛"})
    for n in range(3, 25):
        published(supervisor, supervisor, mall, f"甲醛问题{n}", "送检。")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("knowledge:index"), {"q": "甲醛"})
    assert response.content.decode().count("甲醛问题") == 25


def test_search_box_finds_chinese(client, staff, mall, supervisor):
    published(supervisor, supervisor, mall, "床垫甲醛超标怎么办", "送检。")
    published(supervisor, supervisor, mall, "沙发开裂", "90天内可退换修。")
    client.force_login(staff(Role.FRONT_DESK))
    page = client.get(reverse("knowledge:index"), {"q": "甲醛超标"}).content.decode()
    assert "床垫甲醛超标怎么办" in page and "沙发开裂" not in page


def test_drafts_are_hidden_from_readers(client, staff, mall):
    officer = staff(Role.COMPLAINT_OFFICER)
    article = article_create(
        actor=officer, mall=mall, kind=ArticleKind.ARTICLE, category=category(), title="草稿", body="…"
    )
    client.force_login(staff(Role.FRONT_DESK))
    assert client.get(reverse("knowledge:detail", args=[article.pk])).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("knowledge:detail", args=[article.pk])).status_code == 200
    page = client.get(reverse("knowledge:index"), {"drafts": "on"}).content.decode()
    assert "草稿" in page


def test_write_through_the_form_then_publish(client, staff, mall, supervisor):
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    response = client.post(reverse("knowledge:new"), {"kind": "article", "title": "", "body": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"title", "body", "category"} <= set(form.errors)
    assert not Article.objects.exists()
    response = client.post(
        reverse("knowledge:new"),
        {"kind": "reply", "category": category().pk, "title": "致歉话术", "body": "给您添麻烦了。", "sources": ""},
    )
    article = Article.objects.get()
    assert response.status_code == 302 and article.mall == mall and article.status == ArticleStatus.DRAFT
    client.force_login(supervisor)
    client.post(reverse("knowledge:action", args=[article.pk, "publish"]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.review_due is not None


def test_a_refused_move_says_why(client, staff, mall, supervisor):
    article = published(supervisor, supervisor, mall, "标题", "…")
    client.force_login(supervisor)
    response = client.post(reverse("knowledge:action", args=[article.pk, "publish"]), follow=True)
    [message] = list(response.context["messages"])
    assert message.level_tag == "error" and article.get_status_display() in message.message


def test_reply_picker_returns_replies_only(client, staff, mall, supervisor):
    published(supervisor, supervisor, mall, "等待检测话术", "您好，样品已送检。", kind=ArticleKind.REPLY)
    published(supervisor, supervisor, mall, "送检规定", "送检流程。")
    client.force_login(staff(Role.FRONT_DESK))
    data = client.get(reverse("knowledge:replies"), {"q": "送检"}).json()
    assert [reply["title"] for reply in data["replies"]] == ["等待检测话术"]
    assert data["replies"][0]["text"] == "您好，样品已送检。"


def test_advisor_page_and_panel(client, staff):
    client.force_login(staff(Role.FRONT_DESK))
    delivered = timezone.localdate() - timedelta(days=100)
    page = client.get(reverse("knowledge:advisor"), {"delivery_date": delivered.isoformat()}).content.decode()
    assert 'data-rule="within_exchange"' in page
    panel = client.get(
        reverse("knowledge:advisor_panel"),
        {"delivery_date": delivered.isoformat(), "fraud": "on", "price": "100"},
    ).content.decode()
    assert "500.00" in panel and 'data-rule="fraud_reference"' in panel
    bad = client.get(
        reverse("knowledge:advisor_panel"), {"delivery_date": (timezone.localdate() + timedelta(days=2)).isoformat()}
    )
    assert bad.status_code == 200 and 'id="advice-errors"' in bad.content.decode()


def test_complaint_page_shows_advice_and_the_articles_used(client, staff, mall, supervisor):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(
        mall=mall,
        purchase_date=timezone.localdate() - timedelta(days=40),
        delivery_date=timezone.localdate() - timedelta(days=30),
        purchase_amount=Decimal("6800.00"),
    )
    article = published(supervisor, supervisor, mall, "质量问题90天内可退", "…")
    client.force_login(officer)
    response = client.post(
        reverse("knowledge:cite", args=[article.pk]), {"article": article.pk, "complaint": complaint.pk}
    )
    assert response.status_code == 302
    assert ArticleUse.objects.filter(article=article, complaint=complaint).exists()
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="knowledge-panel"' in page and "质量问题90天内可退" in page
    assert 'data-rule="within_full_remedy"' in page
    assert f"complaint={complaint.pk}" in page


def test_citing_another_malls_complaint_is_404(client, staff, mall, other_mall, supervisor):
    article = published(supervisor, supervisor, mall, "标题", "…")
    elsewhere = ComplaintFactory(mall=other_mall)
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    response = client.post(
        reverse("knowledge:cite", args=[article.pk]), {"article": article.pk, "complaint": elsewhere.pk}
    )
    assert response.status_code == 404
    assert not ArticleUse.objects.exists()


def test_article_page_lists_only_complaints_the_reader_may_see(client, staff, mall, other_mall):
    head_office = staff(Role.HEAD_OFFICE)
    article = published(head_office, head_office, None, "欺诈赔偿", "…")
    mine, theirs = ComplaintFactory(mall=mall), ComplaintFactory(mall=other_mall)
    article_cite(article=article, complaint=mine, actor=staff(Role.COMPLAINT_OFFICER))
    article_cite(article=article, complaint=theirs, actor=staff(Role.COMPLAINT_OFFICER, in_mall=other_mall))
    client.force_login(staff(Role.FRONT_DESK))
    page = client.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    assert mine.number in page and theirs.number not in page
