"""A customer link as a QR code for paper (segno, already used for the 2FA setup code)."""

import segno


def qr_data_uri(url):
    """An SVG data URI: allowed by the site's CSP (img-src data:) and rendered by WeasyPrint."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def printed_link(case):
    """A fresh link for a printout: (url, QR data URI). Each print issues its own link."""
    from .services import link_issue, link_url

    url = link_url(link_issue(case=case, purpose="print"))
    return url, qr_data_uri(url)
