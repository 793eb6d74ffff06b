"""HTML to PDF with WeasyPrint and the Noto Sans CJK fonts (system packages, see README).

Imported lazily so the desk runs without Pango where no PDF is asked for.
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template, context):
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
