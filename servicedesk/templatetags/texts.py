"""`{{ stored|event_text }}`: a stored event (servicedesk.texts) in the reader's language; any other
text as it is. A builtin of the project's templates (settings), so no template needs to load it."""

from django import template

from .. import texts

register = template.Library()


@register.filter
def event_text(value):
    return texts.render(value)
