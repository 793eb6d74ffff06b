"""Machinery of the permission matrix: find every URL, fill its ids, classify the answer.

The expected outcomes live in test_permission_matrix.py (one table); this module only knows how
to walk the URL conf and turn a response into one of the table's words.
"""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Not product pages: Django's admin (covered by its own test), the language switch and files; the
# API answers to client tokens, not to staff sessions: its own matrix is tests/api/test_api_matrix.py
# (and test_api_client_role below proves a session gets nothing there).
# The customer's status pages (c/<token>/) answer to a link, not a login: tests/portal checks
# them (a wrong, expired or another case's token is 404; nothing internal on the page). The mall's
# public intake pages (m/<mall code>/) answer to a confirmed mobile: tests/portal/test_online_intake.py.
EXCLUDED_PREFIXES = ("admin/", "i18n/", "static/", "media/", "^media/", "^static/", "api/", "c/", "m/")

# Column order of the table.
COLUMNS = ("anon", "front_desk", "complaint_officer", "price_tag_officer", "clerk", "supervisor", "manager")
COLUMNS += ("head_office", "admin", "merchant", "driver")

# Which world record fills a URL's keyword; per url name first, then per namespace for `pk`.
KWARGS_BY_URL = {
    "password_reset_confirm": {"uidb64": "=MQ", "token": "=set-password"},
    "complaints:merchant": {"merchant_pk": "merchant"},
    "complaints:act": {"pk": "complaint", "action": "=acknowledge"},
    "complaints:attachment": {"pk": "complaint", "attachment_pk": "attachment"},
    "complaints:customer_photo": {"pk": "complaint", "message_pk": "customer_photo"},
    "complaints:staff_detail": {"pk": "staff_complaint"},
    "complaints:staff_sign_off": {"pk": "staff_complaint"},
    "compensations:propose": {"complaint_pk": "escalated"},
    "compensations:evidence": {"pk": "compensation", "evidence_pk": "evidence"},
    "returns:action": {"pk": "return", "action": "=check"},
    "exchanges:action": {"pk": "exchange", "action": "=confirm"},
    "merchants:inspection_fixed": {"pk": "inspection"},
    "merchants:inspection_notice": {"pk": "inspection"},
    "merchants:transition": {"pk": "merchant", "action": "=verify"},
    "merchants:document_file": {"pk": "merchant", "document_id": "document"},
    "followups:visit_photo": {"pk": "visit_callback", "photo_pk": "visit_photo"},
    "followups:import_progress": {"pk": "sales_import"},
    "followups:import_status": {"pk": "sales_import"},
    "followups:call": {"customer_pk": "customer"},
    "frontdesk:play_tick": {"pk": "play"},
    "frontdesk:slot_approve": {"pk": "slot"},
    "frontdesk:slot_retire": {"pk": "slot"},
    "frontdesk:script": {"pk": "script"},
    "frontdesk:handover": {"pk": "handover"},
    "frontdesk:matter_finish": {"pk": "matter"},
    "frontdesk:enquiry_convert": {"pk": "enquiry", "kind": "=complaint"},
    "frontdesk:spot_check": {"pk": "spot_check"},
    "frontdesk:roster": {"pk": "roster"},
    "frontdesk:incident": {"pk": "incident"},
    "frontdesk:incident_follow_up": {"pk": "incident"},
    "frontdesk:incident_close": {"pk": "incident"},
    "frontdesk:roster_publish": {"pk": "roster"},
    "frontdesk:roster_print": {"pk": "roster"},
    "notifications:open": {"pk": "notification"},
    "reports:export": {"pk": "export"},
    "reports:export_status": {"pk": "export"},
    "reports:export_download": {"pk": "export"},
    "knowledge:action": {"pk": "article", "action": "=archive"},
    "merchants:user_deactivate": {"pk": "merchant", "account_pk": "merchant_account"},
    "merchantportal:complaint": {"pk": "forwarded"},
    "merchantportal:complaint_file": {"pk": "forwarded", "attachment_pk": "forwarded_photo"},
    "merchantportal:return": {"pk": "return"},
    "merchantportal:exchange": {"pk": "exchange"},
    "merchantportal:return_photo": {"pk": "return", "photo_pk": "return_photo"},
    "merchantportal:price_tag": {"pk": "inspection"},
    "merchantportal:price_tag_photo": {"pk": "inspection", "photo_pk": "inspection_photo"},
    "returns:photo": {"pk": "return", "photo_pk": "return_photo"},
    "drivers:stop_done": {"pk": "stop"},
    "drivers:stop_photo": {"pk": "stop"},
    "drivers:stop_cancel": {"pk": "stop"},
    # A token of the right shape that no invitation has: 404 for everyone.
    "merchantportal:invitation": {"token": "=" + "A" * 32},
}
PK_BY_NAMESPACE = {
    "customers": "customer",
    "complaints": "complaint",
    "compensations": "compensation",
    "returns": "return",
    "exchanges": "exchange",
    "merchants": "merchant",
    "followups": "callback",
    "reports": "archive",
    "drivers": "run",
    "knowledge": "article",
}


def product_urls():
    """[(url name, keyword names)] of every named URL outside EXCLUDED_PREFIXES."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                walk(entry.url_patterns, route, inner or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, tuple(entry.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "", "")
    return found


def url_for(name, keywords, world):
    """The URL with ids from `world` (a dict of records), or None if a keyword is unmapped."""
    if not keywords:
        return reverse(name)
    mapping = KWARGS_BY_URL.get(name) or {"pk": PK_BY_NAMESPACE.get(name.split(":")[0])}
    kwargs = {}
    for keyword in keywords:
        source = mapping.get(keyword)
        if source is None:
            return None
        kwargs[keyword] = source[1:] if source.startswith("=") else world[source].pk
    return reverse(name, kwargs=kwargs)


def outcome(response):
    """One word for the table: 200, 302 (somewhere in the app), login, 403, 404, 405 ..."""
    code = response.status_code
    if code in (301, 302):
        return "login" if response["Location"].startswith(reverse("login")) else "302"
    return str(code)
