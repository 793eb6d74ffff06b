"""The Django admin under the strict Content-Security-Policy: the administrator's main pages load
in Chromium with nothing refused and no script error (the `page` fixture fails the test on
either), including django-celery-beat's schedule form whose inline script was moved out."""

import pytest
from django_celery_beat.models import PeriodicTask

from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_run_under_the_policy(demo, page):
    login(page, "admin")
    task = PeriodicTask.objects.order_by("pk").first()
    urls = [
        "/admin/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/servicedesk/mall/",
        "/admin/django_celery_beat/periodictask/",
        "/admin/servicedesk/twofactorevent/",
        "/admin/axes/accesslog/",
    ]
    if task is not None:
        urls.append(f"/admin/django_celery_beat/periodictask/{task.pk}/change/")
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
