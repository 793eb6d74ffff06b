"""Nothing is hard-deleted: no admin delete (not even for a superuser), no bulk delete action,
and no `.delete(` in the apps' code. Records are closed, withdrawn or made inactive instead."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
APPS = ("servicedesk", "complaints", "compensations", "returns", "merchants", "followups", "frontdesk", "reports")


def our_admins():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label in APPS
    ]


@pytest.mark.django_db
def test_no_admin_may_delete_even_for_a_superuser():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    deletable = [model._meta.label for model, model_admin in our_admins() if model_admin.has_delete_permission(request)]
    assert our_admins() and not deletable
    assert "delete_selected" not in dict(admin.site.actions)


@pytest.mark.django_db
def test_the_admin_delete_page_is_refused(client, mall):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "x-Long-pass-2026")
    client.force_login(superuser)
    url = reverse(f"admin:{mall._meta.app_label}_{mall._meta.model_name}_delete", args=[mall.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(mall).objects.filter(pk=mall.pk).exists()


# (file, line text) allowed, with the reason.
ALLOWED = {
    # A weekly report built again replaces its file; the row stays and the figures come from the
    # records, so the old file holds nothing that is not rebuilt.
    ("reports/services.py", "archive.file.delete(save=False)"),
}


def test_no_code_deletes_a_row():
    """Any .delete( outside migrations is a hard delete of a record (or of a stored file; a
    replaced document stays on record, see merchants.services.document_upload)."""
    pattern = re.compile(r"\.delete\(|\b_raw_delete\(|\bbulk_delete\(|DELETE FROM", re.IGNORECASE)
    hits = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line) and (str(path.relative_to(ROOT)), line.strip()) not in ALLOWED
    ]
    assert not hits
