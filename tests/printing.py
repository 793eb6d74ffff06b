"""What a printed page comes to on paper: the page's HTML laid out by WeasyPrint with the print
stylesheet (media print, A4 from print.css), the way the browser's print dialog lays it out."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from tests.conftest import SCREENSHOTS, missing_service

STATIC = re.compile(r'(href|src)="/static/([^"?]+)[^"]*"')


def _local(match):
    found = finders.find(match[2])
    return f'{match[1]}="{Path(found).as_uri()}"' if found else ""


def printed(html, name=None):
    """The WeasyPrint document of a page as printed (`name`: also saved as a PDF to look at)."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango/HarfBuzz missing
        missing_service(f"WeasyPrint's system libraries: {exc}")
    html = STATIC.sub(_local, html)
    document = HTML(string=html, base_url=settings.BASE_DIR.as_uri() + "/", media_type="print").render()
    if name:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        document.write_pdf(SCREENSHOTS / f"{name}.pdf")
    return document
