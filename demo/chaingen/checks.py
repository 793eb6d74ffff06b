"""What must hold in any generated chain (and in real data): checked by the tests after
`generate_chain --small`, and by `generate_chain --check` on a big one. Each check is one query
returning the number of offending rows."""

from django.db import connection

from .cases import ORDERED_TIMES

# The complaint's columns among the steps: the callback's time is on its service callback (one
# record), checked below.
COMPLAINT_TIMES = tuple(field for field in ORDERED_TIMES if field != "callback_at")


def _times_out_of_order():
    # Each pair of consecutive *recorded* steps must be in order; skipped steps (NULL) are fine.
    pairs = []
    for i, earlier in enumerate(COMPLAINT_TIMES):
        for later in COMPLAINT_TIMES[i + 1 :]:
            pairs.append(f"({later} < {earlier})")
    return "SELECT count(*) FROM complaints_complaint WHERE " + " OR ".join(pairs)  # noqa: S608


CHECKS = {
    "complaint timestamps out of order": _times_out_of_order(),
    "ended complaint without closed_at, or closed_at on an open one": (
        "SELECT count(*) FROM complaints_complaint WHERE "
        "(status IN ('closed', 'not_accepted', 'withdrawn', 'escalated')) <> (closed_at IS NOT NULL)"
    ),
    "running clock on a finished complaint": (
        "SELECT count(*) FROM complaints_complaintdeadline d JOIN complaints_complaint c ON c.id = d.complaint_id "
        "WHERE d.met_at IS NULL AND c.status IN ('closed', 'not_accepted', 'withdrawn', 'escalated')"
    ),
    "clock due before it started, or met before it started": (
        "SELECT count(*) FROM complaints_complaintdeadline WHERE due_at < started_at OR met_at < started_at"
    ),
    "deposit ledger balance below zero": (
        "SELECT count(*) FROM (SELECT merchant_id, sum(CASE WHEN kind IN ('collect', 'top_up') THEN amount "
        "ELSE -amount END) AS balance FROM merchants_depositentry GROUP BY merchant_id) b WHERE balance < 0"
    ),
    "compensation recovered amount not the sum of its recoveries": (
        "SELECT count(*) FROM compensations_compensation c LEFT JOIN (SELECT compensation_id, sum(amount) AS s "
        "FROM compensations_compensationrecovery GROUP BY compensation_id) r ON r.compensation_id = c.id "
        "WHERE c.recovered_amount <> COALESCE(r.s, 0)"
    ),
    "deposit deductions not equal to the deposit recoveries": (
        "SELECT count(*) FROM (SELECT (SELECT COALESCE(sum(amount), 0) FROM merchants_depositentry "
        "WHERE kind = 'deduct') AS d, (SELECT COALESCE(sum(amount), 0) FROM compensations_compensationrecovery "
        "WHERE kind = 'deposit') AS r) x WHERE d <> r"
    ),
    "compensation approvals not numbered 1..n": (
        "SELECT count(*) FROM (SELECT compensation_id FROM compensations_compensationapproval "
        "GROUP BY compensation_id HAVING max(step) <> count(*)) x"
    ),
    "callback duplicated (sale, kind)": (
        "SELECT count(*) FROM (SELECT 1 FROM followups_callback WHERE sale_id IS NOT NULL "
        "GROUP BY sale_id, kind HAVING count(*) > 1) x"
    ),
    "callback duplicated (complaint, kind, round)": (
        "SELECT count(*) FROM (SELECT 1 FROM followups_callback WHERE complaint_id IS NOT NULL "
        "GROUP BY complaint_id, kind, round HAVING count(*) > 1) x"
    ),
    "callback attempts not equal to its attempt rows": (
        "SELECT count(*) FROM followups_callback c LEFT JOIN (SELECT callback_id, count(*) AS n "
        "FROM followups_callbackattempt GROUP BY callback_id) a ON a.callback_id = c.id "
        "WHERE c.attempts <> COALESCE(a.n, 0)"
    ),
    # The service callback is the complaint's one callback record: a called-back (or closed) complaint
    # has its round's callback finished, with what the customer said when it was reached.
    "complaint called back without a finished service callback": (
        "SELECT count(*) FROM complaints_complaint c WHERE c.status IN ('called_back', 'closed') "
        "AND NOT EXISTS (SELECT 1 FROM followups_callback b WHERE b.complaint_id = c.id AND b.kind = 'service' "
        "AND b.round = c.reopen_count AND b.status IN ('done', 'unreachable'))"
    ),
    "service callback answered before the resolution or after the closing": (
        "SELECT count(*) FROM followups_callback b JOIN complaints_complaint c ON c.id = b.complaint_id "
        "WHERE b.kind = 'service' AND b.finished_at IS NOT NULL "
        "AND (b.finished_at < c.resolved_at OR b.finished_at > c.closed_at)"
    ),
    "number sequence behind the numbers issued": (
        "SELECT count(*) FROM complaints_complaint c JOIN servicedesk_mall m ON m.id = c.mall_id "
        "LEFT JOIN servicedesk_numbersequence s ON s.prefix = 'TS' AND s.mall_id = c.mall_id "
        "AND s.day = to_date(split_part(c.number, '-', 3), 'YYYYMMDD') "
        "WHERE s.last IS NULL OR s.last < split_part(c.number, '-', 4)::int"
    ),
}


def problems():
    """{check: offending rows} for every check that fails (empty when all is consistent)."""
    found = {}
    with connection.cursor() as cursor:
        for name, sql in CHECKS.items():
            cursor.execute(sql)
            (count,) = cursor.fetchone()
            if count:
                found[name] = count
    return found
