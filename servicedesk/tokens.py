"""Secret link tokens: random, shown once (in an SMS, on paper, as an API key), stored only as a
SHA-256 digest. The tokens carry 192 bits or more, so one unsalted hash is enough: there is
nothing to guess, and the digest lets a token be found by an indexed lookup."""

import hashlib
import re
import secrets

LINK_TOKEN_BYTES = 24  # 192 random bits, 32 URL-safe characters
LINK_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_link_token():
    return secrets.token_urlsafe(LINK_TOKEN_BYTES)


def is_link_token(text):
    """Shape only: a string that cannot be a link token is refused before any query."""
    return bool(LINK_TOKEN_RE.match(text or ""))


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()
