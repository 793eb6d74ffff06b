"""Searching the knowledge base in Chinese: bigram tokens, full text on PostgreSQL, one query."""

import pytest
from django.db import connection

from knowledge import search
from knowledge.models import Article, ArticleKind
from knowledge.selectors import article_search, articles_for
from servicedesk.roles import Role

from .factories import published


def test_tokens_are_bigrams_and_whole_words():
    assert search.tokens("床垫甲醛") == "床垫 垫甲 甲醛 床 垫 甲 醛"
    assert search.tokens("E0级 GB/T 39600，甲") == "e0 级 gb t 39600 甲"
    assert search.query_terms("甲醛 E0 床") == [("甲醛", False), ("e0", True), ("床", False)]
    assert search.tsquery([("甲醛", False), ("e0", True)]) == "'甲醛' & 'e0':*"


def test_query_text_never_reaches_the_tsquery_unescaped():
    terms = search.query_terms("a' | !b & (c) <-> 甲醛'")
    assert all(token.isalnum() for token, _prefix in terms)


@pytest.fixture
def library(postgres, staff, mall):
    supervisor = staff(Role.SUPERVISOR)
    return {
        "formaldehyde": published(
            supervisor, supervisor, mall, "床垫甲醛超标怎么办", "先送检，检测期间暂停计时。", sources="GB/T 39600"
        ),
        "sofa": published(
            supervisor, supervisor, mall, "沙发开裂", "90天内可退换修。", sources="消费者权益保护法第24条"
        ),
        "reply": published(
            supervisor,
            supervisor,
            mall,
            "安抚话术：等待检测",
            "您好，我们已将样品送检，结果出来后第一时间联系您。",
            kind=ArticleKind.REPLY,
            category_name="接待话术",
        ),
    }


def titles(queryset):
    return [article.title for article in queryset]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("甲醛", ["床垫甲醛超标怎么办"]),
        ("甲醛超标", ["床垫甲醛超标怎么办"]),
        ("超标 床垫", ["床垫甲醛超标怎么办"]),
        ("39600", ["床垫甲醛超标怎么办"]),
        ("第24条", ["沙发开裂"]),
        ("送检", ["床垫甲醛超标怎么办", "安抚话术：等待检测"]),
        ("醛甲", []),
        ("沙发 甲醛", []),
    ],
)
def test_chinese_search(library, query, expected):
    assert sorted(titles(article_search(Article.objects.all(), query))) == sorted(expected)


def test_one_character_is_found_anywhere(library):
    assert titles(article_search(Article.objects.all(), "裂")) == ["沙发开裂"]
    assert titles(article_search(Article.objects.all(), "垫")) == ["床垫甲醛超标怎么办"]


def test_search_is_one_query_and_ranked(library, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = list(article_search(Article.objects.all(), "送检"))
    assert all(hasattr(article, "rank") for article in found)
    assert found[0].rank >= found[-1].rank


def test_the_search_can_use_the_index(library):
    sql, params = article_search(Article.objects.all(), "甲醛").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "knowledge_article_search" in plan


def test_readers_see_published_articles_of_their_mall_and_the_chain(library, staff, mall, other_mall):
    head_office = staff(Role.HEAD_OFFICE)
    chain = published(head_office, head_office, None, "甲醛国家标准", "E1、E0、ENF三个等级。")
    elsewhere_supervisor = staff(Role.SUPERVISOR, in_mall=other_mall)
    published(elsewhere_supervisor, elsewhere_supervisor, other_mall, "无锡店甲醛话术", "…")
    desk = staff(Role.FRONT_DESK)
    assert sorted(titles(articles_for(desk, mall=mall, text="甲醛"))) == sorted(["床垫甲醛超标怎么办", chain.title])
    assert titles(articles_for(desk, mall=mall, text="甲醛", kind=ArticleKind.REPLY)) == []
    assert len(titles(articles_for(head_office, text="甲醛"))) == 3
