"""Settings for the test suite: the base settings, with a fast password hasher.

DATABASE_URL and REDIS_URL still decide which services the suite talks to.
"""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests run tasks in-process; tests/servicedesk/test_celery_worker.py runs a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Serve static files from the apps' folders without a collectstatic run (live_server tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The head-office home computes its figures on every request (tests share a Redis database
# across workers, whose malls can have the same ids); the cache's own tests turn it on.
CHAIN_DASHBOARD_CACHE_SECONDS = 0
