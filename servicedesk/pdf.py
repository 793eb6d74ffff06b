"""HTML to PDF with WeasyPrint and the Noto Sans CJK fonts (system packages, see README).

Imported lazily so the desk runs without Pango where no PDF is asked for.
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template, context):
    from weasyprint import HTML

    html = render_to_string(template, context)
    # Templates link their sheet as static/css/pdf/<name>.css, read from the project folder
    # (no inline <style>: one rule for every template, see the Content-Security-Policy).
    return HTML(string=html, base_url=settings.BASE_DIR.as_uri() + "/").write_pdf()
