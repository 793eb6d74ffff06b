"""Django's own messages that its zh_Hans catalogue does not translate, translated in ours.

Django 5.2 changed the "too short" password message to "%d"; its zh_Hans catalogue still has the
old "%(min_length)d" text, so a short password was refused in English. Naming the message here
keeps it in locale/zh_Hans/LC_MESSAGES/django.po when `make messages` runs with --no-obsolete.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
)
