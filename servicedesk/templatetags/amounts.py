"""`{{ value|amount }}` ("6,800.00") and `{{ value|yuan }}` ("6,800.00 元" / "6,800.00 yuan"):
servicedesk.amounts in templates. A builtin of the project's templates (settings), so no template
needs to load it."""

from django import template

from .. import amounts

register = template.Library()


def _safely(write, value):
    try:
        return write(value)
    except ValueError:
        return value  # not a number: shown as it is rather than breaking the page


@register.filter
def amount(value):
    return _safely(amounts.amount_text, value)


@register.filter
def yuan(value):
    return _safely(amounts.yuan_text, value)
