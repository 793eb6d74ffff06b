"""Report screens: a mall's week, the head-office rollup, the monthly appraisal, the archive."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join

from servicedesk.navigation import require_section
from servicedesk.pdf import render_pdf

from .excel import top_lines, weekly_workbook
from .layout import CATEGORIES, CHANNELS, LINES, ROLLUP, ROLLUP_GROUPS, drill, fmt, value
from .models import ReportArchive, ReportExport
from .periods import last_full_week, month_of, parse_month, parse_week
from .selectors import (
    appraisal_sheets,
    differences,
    report_mall,
    report_malls,
    rollup_differences,
    rollup_figures,
    sent_report,
    week_over_week_base,
)
from .services import EXPORT_INLINE_LIMIT, XLSX, export_request
from .weekly import check_identities


def _week(request):
    try:
        return parse_week(request.GET["week"]), None
    except KeyError:
        return last_full_week(), None
    except ValidationError as error:
        return last_full_week(), error.messages[0]


def _pdf(content, name):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _xlsx(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _same_page(request, period, **changes):
    """This page's query string (week, mall, sort ...) with `changes`: export links and the
    rollup's sort links keep everything the page was opened with."""
    params = request.GET.copy()
    params["week"] = period.key
    for key, new in changes.items():
        params[key] = new
    return f"?{params.urlencode()}"


@login_required
def index(request):
    require_section(request.user, "reports")
    return redirect("reports:weekly" if request.mall else "reports:rollup")


def _report_mall(request, period):
    """The mall of the page: the one a drill-down link names (also a mall made inactive since,
    for a period it was active), else the one the user works in."""
    code = request.GET.get("mall", "")
    if code and not code.isdigit() and (request.mall is None or request.mall.code != code):
        named = report_mall(request.user, code, period)
        if named is not None:
            return named
    return request.mall


@login_required
def weekly(request):
    """One mall's week: every column of the paper form, each number linked to its register."""
    section = require_section(request.user, "reports")
    period, error = _week(request)
    mall = _report_mall(request, period)
    if mall is None:
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('reports:rollup')}?{query.urlencode()}")
    figures = rollup_figures([mall], period)[0][mall.pk]
    if request.GET.get("format") == "xlsx":
        return _xlsx(weekly_workbook([mall], period, {mall.pk: figures}), f"weekly-{mall.code}-{period.key}.xlsx")
    sections = [
        (
            title,
            [
                (
                    line,
                    line.title(figures),
                    fmt(figures.get(line.key), line.fmt),
                    drill(line.link, mall, period, delay_days=figures["deliberate_delay_days"]),
                )
                for line in lines
            ],
        )
        for title, lines in LINES
    ]
    breakdowns = [
        [(name, figures[key].get(code, 0), drill(kind, mall, period, **{kind: code})) for code, name in choices]
        for choices, key, kind in ((CHANNELS, "by_channel", "channel"), (CATEGORIES, "by_category", "category"))
    ]
    top = [
        (m["rank"], m["brand"], m["n"], drill("merchant", mall, period, merchant=m["merchant_id"]))
        for m in figures["top_merchants"]
    ]
    sent = sent_report(ReportArchive.Kind.WEEKLY, mall, period)
    context = {
        "section": section,
        "period": period,
        "error": error,
        "mall": mall,
        "sections": sections,
        "by_channel": breakdowns[0],
        "by_category": breakdowns[1],
        "top": top,
        "top_more": figures["top_more"],
        "problems": check_identities(figures),
        "sent": sent,
        "changes": differences(sent.figures, figures) if sent else [],
        "xlsx_link": _same_page(request, period, format="xlsx"),
        "pdf_link": _same_page(request, period, format="pdf"),
    }
    if request.GET.get("format") == "pdf":
        return _pdf(render_pdf("reports/weekly_pdf.html", context), f"weekly-{mall.code}-{period.key}.pdf")
    return render(request, "reports/weekly.html", context)


SORTABLE = {line.key for line in ROLLUP} | {"code"}


def _sort_value(row, key):
    return row["mall"].code if key == "code" else row["figures"][key]


@login_required
def rollup_view(request):
    """Head office's Monday page: one row per mall with every figure of a mall's report, the
    chain's row (rates from the sums), week-over-week change, the chain's top merchants."""
    section = require_section(request.user, "reports")
    period, error = _week(request)
    malls = list(report_malls(request.user, period))
    if request.GET.get("format") == "xlsx":
        if len(malls) > EXPORT_INLINE_LIMIT:
            return redirect("reports:export", pk=export_request(user=request.user, period=period).pk)
        figures, totals = rollup_figures(malls, period)
        return _xlsx(weekly_workbook(malls, period, figures, totals), f"weekly-rollup-{period.key}.xlsx")
    figures, totals = rollup_figures(malls, period)
    previous, previous_totals = week_over_week_base(malls, period.previous())
    sort = request.GET.get("sort", "code")
    sort = sort if sort.lstrip("-") in SORTABLE else "code"
    key = sort.lstrip("-")
    rows = []
    for mall in malls:
        shown = [fmt(value(figures[mall.pk], line.key), line.fmt) for line in ROLLUP]
        rows.append(
            {
                "mall": mall,
                "figures": {line.key: value(figures[mall.pk], line.key) for line in ROLLUP},
                "shown": shown,
                # 400 malls x 60 figures: one piece of HTML per row, not 24,000 template nodes.
                "cells": format_html_join("", '<td class="text-end">{}</td>', ((cell,) for cell in shown)),
                "change": _change(figures[mall.pk], previous[mall.pk]),
            }
        )
    present = [row for row in rows if _sort_value(row, key) is not None]
    present.sort(key=lambda row: _sort_value(row, key), reverse=sort.startswith("-"))
    rows = present + [row for row in rows if _sort_value(row, key) is None]
    sent = sent_report(ReportArchive.Kind.ROLLUP, None, period) if request.mall is None else None
    changes, added, missing = rollup_differences(sent.figures, malls, totals) if sent else ([], [], [])
    columns = [
        (line, line.title(totals), _same_page(request, period, sort=("" if sort != line.key else "-") + line.key))
        for line in ROLLUP
    ]
    return render(
        request,
        "reports/rollup.html",
        {
            "section": section,
            "period": period,
            "error": error,
            "groups": [(title, len(lines)) for title, lines in ROLLUP_GROUPS],
            "columns": columns,
            "code_sort": _same_page(request, period, sort="-code" if sort == "code" else "code"),
            "rows": rows,
            "totals": [fmt(value(totals, line.key), line.fmt) for line in ROLLUP],
            "total_change": _change(totals, previous_totals),
            "chain_top": top_lines(totals),
            "sort": sort,
            "sent": sent,
            "changes": changes,
            "malls_added": added,
            "malls_missing": missing,
            "xlsx_link": _same_page(request, period, format="xlsx"),
        },
    )


def _change(now, before):
    """Week-over-week: received and ended as counts, closure rate in points."""
    rate_now, rate_before = now["closure_rate"], before["closure_rate"]
    return {
        "received": now["received"] - before["received"],
        "closed": now["closed"] - before["closed"],
        "closure_rate": None if rate_now is None or rate_before is None else round(rate_now - rate_before, 1),
    }


@login_required
def appraisal_view(request):
    """商场客户服务月考核表 for the current mall (or every mall for head office)."""
    section = require_section(request.user, "reports")
    error = None
    try:
        period = parse_month(request.GET["month"]) if "month" in request.GET else month_of(last_full_week().first_day)
    except ValidationError as exc:
        period, error = month_of(last_full_week().first_day), exc.messages[0]
    mall = _report_mall(request, period)
    malls = [mall] if mall else list(report_malls(request.user, period))
    params = request.GET.copy()
    params["month"], params["format"] = period.key, "pdf"
    context = {
        "section": section,
        "period": period,
        "sheets": appraisal_sheets(malls, period),
        "error": error,
        "pdf_link": f"?{params.urlencode()}",
    }
    if request.GET.get("format") == "pdf":
        return _pdf(render_pdf("reports/appraisal_pdf.html", context), f"appraisal-{period.key}.pdf")
    return render(request, "reports/appraisal.html", context)


@login_required
def archive(request):
    section = require_section(request.user, "reports")
    stored = ReportArchive.objects.for_user(request.user).select_related("mall")
    if request.mall is not None:
        stored = stored.filter(mall=request.mall)
    return render(request, "reports/archive.html", {"section": section, "stored": stored[:200]})


@login_required
def archive_download(request, pk):
    require_section(request.user, "reports")
    stored = get_object_or_404(ReportArchive.objects.for_user(request.user), pk=pk)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.file.name.rsplit("/", 1)[-1])


# The section whose users may follow an export of this kind.
EXPORT_SECTIONS = {ReportExport.Kind.WEEKLY_ROLLUP: "reports", ReportExport.Kind.CALLBACK_REGISTER: "followups"}


def _export_for(request, pk):
    # An export is its requester's: anyone else's id is a 404.
    export = get_object_or_404(ReportExport, pk=pk, requested_by=request.user)
    require_section(request.user, EXPORT_SECTIONS[export.kind])
    return export


@login_required
def export_page(request, pk):
    return render(request, "reports/export.html", {"export": _export_for(request, pk)})


@login_required
def export_status(request, pk):
    export = _export_for(request, pk)
    return JsonResponse(
        {
            "state": export.state,
            "label": str(export.get_state_display()),
            "progress": export.progress,
            "error": export.error,
            "download": reverse("reports:export_download", args=[export.pk]) if export.file else "",
        }
    )


@login_required
def export_download(request, pk):
    export = _export_for(request, pk)
    if not export.file:
        return redirect("reports:export", pk=export.pk)
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])
