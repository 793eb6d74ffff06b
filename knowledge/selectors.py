"""Reading the knowledge base: search in one query, and the articles used on a complaint."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q

from . import search
from .models import Article, ArticleStatus

SEARCH_CONFIG = "simple"


def search_vector():
    return SearchVector("search_tokens", config=SEARCH_CONFIG)


def article_search(queryset, text):
    """Narrow `queryset` to the articles matching `text`, best first, in the same query."""
    terms = search.query_terms(text)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(search.tsquery(terms), search_type="raw", config=SEARCH_CONFIG)
        return (
            queryset.annotate(found=search_vector(), rank=SearchRank(search_vector(), query))
            .filter(found=query)
            .order_by("-rank", "title", "pk")
        )
    condition = Q()
    for token, _prefix in terms:
        condition &= Q(search_tokens__contains=token)
    return queryset.filter(condition)


def articles_for(user, *, mall=None, text="", kind="", category=None, include_drafts=False):
    articles = Article.objects.for_user(user).select_related("category", "author", "mall")
    if mall is not None:
        articles = articles.for_mall(mall)
    if not include_drafts:
        articles = articles.filter(status=ArticleStatus.PUBLISHED)
    if kind:
        articles = articles.filter(kind=kind)
    if category is not None:
        articles = articles.filter(category=category)
    return article_search(articles, text)


def uses_on(complaint):
    return complaint.article_uses.select_related("article", "article__category", "used_by").order_by(F("used_at"))
