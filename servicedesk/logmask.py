"""A logging filter that keeps customer link tokens out of every log line.

A customer's link (/c/<token>/) is the key to their case; request logs (Django's "Not Found:
/c/…", runserver's request lines, errors with the path) would otherwise write it down. The token
is cut to its first 4 characters, enough to tell links apart when reading a log.
"""

import logging
import re

LINK = re.compile(r"(/c/)([A-Za-z0-9_\-]{5,})")


def mask_links(text):
    return LINK.sub(lambda m: f"{m.group(1)}{m.group(2)[:4]}…", text)


class MaskCustomerLinks(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        if "/c/" in message:
            record.msg, record.args = mask_links(message), ()
        return True
