"""QR codes for paper and screens (segno): status links, merchant invitations, the broadcast's
intake page."""

import segno


def qr_data_uri(url):
    """An SVG data URI: allowed by the site's CSP (img-src data:) and rendered by WeasyPrint."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)
