from django.utils.translation import gettext as _


def yuan_text(amount):
    """An amount written into a text: "12,800.00 元"."""
    return f"{amount:,.2f}" + _(" yuan")
