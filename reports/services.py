"""Building, storing and sending the reports."""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from servicedesk.enqueue import enqueue
from servicedesk.models import Mall
from servicedesk.notifications import staff_of
from servicedesk.replica import read_replica
from servicedesk.roles import Role

from .excel import weekly_workbook
from .models import ReportArchive, ReportExport
from .selectors import rollup_figures, rollup_snapshot, snapshot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _store(kind, mall, period, build, filename):
    """Store the file and its figures for (kind, mall, period), once: a rerun before it was
    e-mailed replaces it, one after leaves what was sent untouched (the archive is frozen).
    `build()` returns (content, figures) and runs only when something is stored."""
    archive = (
        ReportArchive.objects.select_for_update(of=("self",), no_key=True)
        .filter(kind=kind, mall=mall, period_key=period.key)
        .order_by()
        .first()
    )
    if archive is not None and archive.is_frozen:
        return archive
    archive = archive or ReportArchive(kind=kind, mall=mall, period_key=period.key)
    content, figures = build()
    if archive.file:
        archive.file.delete(save=False)
    archive.file.save(filename, ContentFile(content), save=False)
    archive.figures = figures
    archive.save()
    return archive


def archive_weekly_reports(period, *, send=True):
    """The weekly workbook of every mall active in the period and the head-office rollup,
    stored with a snapshot of every figure and e-mailed once; what was sent never changes."""
    malls = list(Mall.objects.active_during(period).order_by("code"))
    figures, totals = rollup_figures(malls, period)  # before the transaction, so it can read the replica
    return _archive(malls, period, figures, totals, send)


@transaction.atomic
def _archive(malls, period, figures, totals, send):
    stored = []
    for mall in malls:
        stored.append(
            _store(
                ReportArchive.Kind.WEEKLY,
                mall,
                period,
                lambda mall=mall: (weekly_workbook([mall], period, figures), snapshot(figures[mall.pk])),
                f"weekly-{mall.code}-{period.key}.xlsx",
            )
        )
    stored.append(
        _store(
            ReportArchive.Kind.ROLLUP,
            None,
            period,
            lambda: (weekly_workbook(malls, period, figures, totals), rollup_snapshot(malls, figures, totals)),
            f"weekly-rollup-{period.key}.xlsx",
        )
    )
    if send:
        transaction.on_commit(lambda: send_archived([a.pk for a in stored]))
    return stored


def send_archived(archive_ids):
    """E-mail each stored report not yet sent: mall files to the mall's managers, the rollup to
    head office. Safe to run twice."""
    sent = 0
    for archive in ReportArchive.objects.filter(pk__in=archive_ids, emailed_at__isnull=True).select_related("mall"):
        if archive.mall is None:
            recipients = staff_of(None, Role.HEAD_OFFICE)
            subject = f"[客服中心] 集团周报 {archive.period_key}"
        else:
            recipients = staff_of(archive.mall, Role.MANAGER)
            subject = f"[客服中心] {archive.mall.name} 周报 {archive.period_key}"
        addresses = sorted({user.email for user in recipients if user.email})
        if addresses:
            message = EmailMessage(subject=subject, body="周报见附件。", to=addresses)
            with archive.file.open("rb") as handle:
                message.attach(archive.file.name.rsplit("/", 1)[-1], handle.read(), XLSX)
            message.send()
            sent += 1
        ReportArchive.objects.filter(pk=archive.pk).update(emailed_at=timezone.now())
    return sent


# Rollups of more malls than this are built by a worker, with a progress bar, not in the request.
EXPORT_INLINE_LIMIT = 30


def export_request(*, user, period=None, kind=ReportExport.Kind.WEEKLY_ROLLUP, params=None):
    """Queue an export built by a worker; the export page shows its progress."""
    from .tasks import build_export

    # The worker builds the workbook in the language of the person who asked for it.
    params = {**(params or {}), "language": translation.get_language() or settings.LANGUAGE_CODE}
    export = ReportExport.objects.create(
        requested_by=user, kind=kind, period_key=period.key if period else "", params=params
    )
    # The row is the outbox: with the broker down the request still succeeds and the sweep
    # (exports_resume_queued) hands the export to a worker later.
    transaction.on_commit(lambda: enqueue(build_export, export.pk))
    return export


def export_queue(*, user, kind, params):
    """A register of an app below, too long for the request (servicedesk.long_exports): queued
    for a worker; the address of its progress page."""
    export = export_request(user=user, kind=ReportExport.Kind(kind), params=params)
    return reverse("reports:export", args=[export.pk])


# A queued export older than this had its message lost (broker down, or a restart in between).
EXPORT_LOST_AFTER = timedelta(minutes=2)


def exports_resume_queued(now=None):
    """Every 5 minutes: exports still queued after EXPORT_LOST_AFTER go to a worker again, and
    exports still running settings.REPORT_EXPORT_TIMEOUT after their claim (the worker died
    mid-build) are put back to queued, or marked failed once they used
    settings.REPORT_EXPORT_MAX_ATTEMPTS claims. A second message for one export is harmless: the
    build claims the row (queued -> running) with a conditional UPDATE."""
    from .tasks import build_export

    now = now or timezone.now()
    requeued = exports_sweep_running(now)
    before = now - EXPORT_LOST_AFTER
    lost = list(
        ReportExport.objects.filter(state=ReportExport.State.QUEUED, created_at__lte=before).values_list(
            "pk", flat=True
        )
    )
    for export_id in sorted(set(lost) | set(requeued)):
        enqueue(build_export, export_id)
    return len(set(lost) | set(requeued))


def exports_sweep_running(now=None):
    """Running exports whose claim is older than the timeout: back to queued (their ids are
    returned, to be sent to a worker), or failed after the last attempt. Each move is one
    conditional UPDATE on (state, started_at), so an export claimed again meanwhile, or finished
    by a worker that was only slow, is left alone."""
    now = now or timezone.now()
    stale = ReportExport.objects.filter(
        state=ReportExport.State.RUNNING, started_at__lte=now - settings.REPORT_EXPORT_TIMEOUT
    )
    requeued = []
    for export_id, started_at, attempts in stale.values_list("pk", "started_at", "attempts"):
        same_claim = ReportExport.objects.filter(pk=export_id, state=ReportExport.State.RUNNING, started_at=started_at)
        if attempts >= settings.REPORT_EXPORT_MAX_ATTEMPTS:
            same_claim.update(state=ReportExport.State.FAILED, error=EXPORT_GAVE_UP, finished_at=now)
        elif same_claim.update(state=ReportExport.State.QUEUED, progress=0, started_at=None):
            requeued.append(export_id)
    return requeued


# Stored on an export given up by the sweep (shown to the person who asked for it).
EXPORT_GAVE_UP = "worker stopped while building; gave up after the last attempt"


# kind -> builder(export, progress) -> (file name, bytes). Builders of other apps are named by
# dotted path, so this app imports none of them until a worker builds one.
BUILDERS = {
    ReportExport.Kind.WEEKLY_ROLLUP: "reports.services.build_weekly_rollup",
    ReportExport.Kind.CALLBACK_REGISTER: "followups.exports.build_callback_register",
}


def export_progress(export):
    """progress(done, count): writes the export's percentage every few percent (~50 writes)."""

    def progress(done, count):
        if count and (done == count or done % max(1, count // 50) == 0):
            ReportExport.objects.filter(pk=export.pk).update(progress=min(99, 10 + int(85 * done / count)))

    return progress


def build_weekly_rollup(export, progress):
    from .periods import parse_week
    from .selectors import report_malls

    period = parse_week(export.period_key)
    malls = list(report_malls(export.requested_by, period))
    figures, totals = rollup_figures(malls, period)
    return f"weekly-rollup-{period.key}.xlsx", weekly_workbook(malls, period, figures, totals, progress=progress)


def export_build(export_id):
    """Build the export's workbook once. Harmless to run twice: only a queued export is built."""
    from django.utils.module_loading import import_string

    # Claim the queued export with one conditional UPDATE: a second start (a redelivered
    # message, two workers at once) finds it no longer queued and builds nothing.
    started_at = timezone.now()
    claimed = ReportExport.objects.filter(pk=export_id, state=ReportExport.State.QUEUED).update(
        state=ReportExport.State.RUNNING, progress=0, started_at=started_at, attempts=F("attempts") + 1
    )
    export = ReportExport.objects.select_related("requested_by").get(pk=export_id)
    if not claimed:
        return export
    # Only this claim finishes the export: if the sweep took it back meanwhile (this worker was
    # slower than REPORT_EXPORT_TIMEOUT), the new claim's result stands.
    this_claim = ReportExport.objects.filter(pk=export_id, state=ReportExport.State.RUNNING, started_at=started_at)
    try:
        language = export.params.get("language") or settings.LANGUAGE_CODE
        with read_replica(), translation.override(language):  # heavy reads: on the replica if any
            name, content = import_string(BUILDERS[export.kind])(export, export_progress(export))
        export.file.save(name, ContentFile(content), save=False)
        this_claim.update(
            file=export.file.name, state=ReportExport.State.DONE, progress=100, finished_at=timezone.now()
        )
    except Exception as exc:
        this_claim.update(state=ReportExport.State.FAILED, error=str(exc)[:300])
        raise
    export.refresh_from_db()
    return export
