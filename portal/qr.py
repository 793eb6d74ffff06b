"""A customer link as a QR code for paper."""

from servicedesk.qr import qr_data_uri


def printed_link(case):
    """A fresh link for a printout: (url, QR data URI). Each print issues its own link."""
    from .services import link_issue, link_url

    url = link_url(link_issue(case=case, purpose="print"))
    return url, qr_data_uri(url)
