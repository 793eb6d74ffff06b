from knowledge.models import ArticleKind, Category
from knowledge.services import article_create, article_transition


def category(name="产品质量"):
    found, _created = Category.objects.get_or_create(name=name)
    return found


def published(author, publisher, mall, title, body, kind=ArticleKind.ARTICLE, sources="", category_name="产品质量"):
    """An article written by `author` and published by `publisher` (both of `mall`, or chain roles)."""
    article = article_create(
        actor=author, mall=mall, kind=kind, category=category(category_name), title=title, body=body, sources=sources
    )
    return article_transition(article=article, action="publish", actor=publisher)
