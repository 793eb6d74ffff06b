"""Report screens: a mall's week, the head-office rollup, the monthly appraisal, the archive."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from frontdesk.selectors import spot_check_average
from servicedesk.middleware import switchable_malls
from servicedesk.navigation import require_section
from servicedesk.pdf import render_pdf

from .appraisal import appraise
from .excel import weekly_workbook
from .layout import CATEGORIES, CHANNELS, LINES, ROLLUP, drill, fmt
from .models import ReportArchive, ReportExport
from .periods import last_full_week, month_of, parse_month, parse_week
from .services import EXPORT_INLINE_LIMIT, XLSX, export_request, rollup
from .weekly import check_identities, weekly_figures


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


@login_required
def index(request):
    require_section(request.user, "reports")
    return redirect("reports:weekly" if request.mall else "reports:rollup")


@login_required
def weekly(request):
    """One mall's week: every column of the paper form, each number linked to its register."""
    section = require_section(request.user, "reports")
    if request.mall is None:
        return redirect("reports:rollup")
    period, error = _week(request)
    mall = request.mall
    figures = weekly_figures([mall.pk], period)[mall.pk]
    if request.GET.get("format") == "xlsx":
        return _xlsx(weekly_workbook([mall], period, {mall.pk: figures}), f"weekly-{mall.code}-{period.key}.xlsx")
    sections = [
        (title, [(line, fmt(figures.get(line.key), line.fmt), drill(line.link, mall, period)) for line in lines])
        for title, lines in LINES
    ]
    breakdowns = [
        (
            label,
            [(name, figures[key].get(code, 0), drill(kind, mall, period, **{kind: code})) for code, name in choices],
        )
        for label, choices, key, kind in (
            (CHANNELS, CHANNELS, "by_channel", "channel"),
            (CATEGORIES, CATEGORIES, "by_category", "category"),
        )
    ]
    top = [
        (m["brand"], m["n"], drill("merchant", mall, period, merchant=m["merchant_id"]))
        for m in figures["top_merchants"]
    ]
    context = {
        "section": section,
        "period": period,
        "error": error,
        "mall": mall,
        "sections": sections,
        "by_channel": breakdowns[0][1],
        "by_category": breakdowns[1][1],
        "top": top,
        "problems": check_identities(figures),
    }
    if request.GET.get("format") == "pdf":
        return _pdf(render_pdf("reports/weekly_pdf.html", context), f"weekly-{mall.code}-{period.key}.pdf")
    return render(request, "reports/weekly.html", context)


SORTABLE = {line.key for line in ROLLUP} | {"code"}


@login_required
def rollup_view(request):
    """Head office's Monday page: one row per mall, chain totals, week-over-week change."""
    section = require_section(request.user, "reports")
    period, error = _week(request)
    malls = list(switchable_malls(request.user).order_by("code"))
    if request.GET.get("format") == "xlsx":
        if len(malls) > EXPORT_INLINE_LIMIT:
            return redirect("reports:export", pk=export_request(user=request.user, period=period).pk)
        figures, totals = rollup(malls, period)
        return _xlsx(weekly_workbook(malls, period, figures, totals), f"weekly-rollup-{period.key}.xlsx")
    figures, totals = rollup(malls, period)
    previous, previous_totals = rollup(malls, period.previous())
    sort = request.GET.get("sort", "code")
    sort = sort if sort.lstrip("-") in SORTABLE else "code"
    rows = [
        {
            "mall": mall,
            "cells": [fmt(figures[mall.pk][line.key], line.fmt) for line in ROLLUP],
            "change": _change(figures[mall.pk], previous[mall.pk]),
            "sort_value": mall.code if sort.lstrip("-") == "code" else figures[mall.pk][sort.lstrip("-")],
        }
        for mall in malls
    ]
    rows.sort(key=lambda row: (row["sort_value"] is None, row["sort_value"] or 0), reverse=sort.startswith("-"))
    return render(
        request,
        "reports/rollup.html",
        {
            "section": section,
            "period": period,
            "error": error,
            "columns": ROLLUP,
            "rows": rows,
            "totals": [fmt(totals[line.key], line.fmt) for line in ROLLUP],
            "total_change": _change(totals, previous_totals),
            "sort": sort,
        },
    )


def _change(now, before):
    """Week-over-week: received and closed as counts, closure rate in points."""
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
    malls = [request.mall] if request.mall else list(switchable_malls(request.user).order_by("code"))
    figures = weekly_figures([m.pk for m in malls], period)
    sheets = [
        (
            mall,
            appraise(mall, figures[mall.pk], spot_check_average(mall, period.first_day.year, period.first_day.month)),
        )
        for mall in malls
    ]
    context = {"section": section, "period": period, "sheets": sheets, "error": error}
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
