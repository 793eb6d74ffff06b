"""`{{ stored|event_text }}`: a stored event (servicedesk.texts) in the reader's language; any other
text as it is. A builtin of the project's templates (settings), so no template needs to load it."""

from django import template
from django.conf import settings
from django.utils import translation

from .. import texts

register = template.Library()


@register.filter
def event_text(value):
    return texts.render(value)


# Punctuation between a label and data, or around data, in the reader's language: a template
# never holds a full-width mark (："、（）；。　), which would leak into English pages (issue 15).
PUNCTUATION = {
    "colon": ("：", ": "),
    "sep": ("、", ", "),
    "semi": ("；", "; "),
    "comma": ("，", ", "),
    "lp": ("（", " ("),
    "rp": ("）", ")"),
    "period": ("。", ". "),
    "gap": ("\u3000", "\u2003"),
}


def _chinese():
    return (translation.get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")


def mark(name):
    chinese, english = PUNCTUATION[name]
    return chinese if _chinese() else english


for _name in PUNCTUATION:
    register.simple_tag(name=_name)(lambda _n=_name: mark(_n))


@register.filter
def join_list(values, kind="sep"):
    """`{{ names|join_list }}`: 张三、李四 in Chinese, "A, B" in English; `join_list:"semi"` with ；/; ."""
    return mark(kind).join(str(value) for value in values)
