"""Knowledge-base screens: search, articles, canned-reply picker, citing on a complaint, and the
remedy advisor (a page and the panel the complaint intake shows)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.models import Complaint
from servicedesk.access import has_role, roles_in
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section
from servicedesk.workflow import allowed_actions

from . import advisor as remedy
from . import selectors, services
from .forms import AdvisorForm, ArticleForm, CiteForm, SearchForm
from .models import (
    CHAIN_EDITORS,
    CITERS,
    WRITERS,
    Article,
    ArticleAction,
    ArticleKind,
    ArticleStatus,
    WarrantyPolicy,
    transitions_of,
)

PICKER_LIMIT = 8


def _may_write(user, mall):
    if mall is None:
        return has_role(user, None, *CHAIN_EDITORS)
    return has_role(user, mall, *WRITERS)


def _article_for(request, pk):
    require_section(request.user, "knowledge")
    articles = Article.objects.for_user(request.user).select_related("mall", "category", "author")
    article = get_object_or_404(articles, pk=pk)
    if article.status != ArticleStatus.PUBLISHED and not _may_write(request.user, article.mall):
        raise Http404
    return article


def _complaint_for(request, pk):
    """A complaint in the user's malls (404 otherwise) that the user may work."""
    complaint = get_object_or_404(Complaint.objects.for_user(request.user).select_related("mall"), pk=pk)
    if not has_role(request.user, complaint.mall, *CITERS):
        raise PermissionDenied(_("Your role does not record knowledge used on complaints."))
    return complaint


@login_required
def article_list(request):
    section = require_section(request.user, "knowledge")
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    writer = _may_write(request.user, request.mall) or has_role(request.user, None, *CHAIN_EDITORS)
    articles = selectors.articles_for(
        request.user,
        mall=request.mall,
        text=data.get("q", ""),
        kind=data.get("kind", ""),
        category=data.get("category"),
        include_drafts=bool(data.get("drafts")) and writer,
    )
    complaint = None
    if request.GET.get("complaint", "").isdigit():
        complaint = _complaint_for(request, int(request.GET["complaint"]))
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/list.html",
        {"section": section, "form": form, "page": page, "can_write": writer, "complaint": complaint},
    )


@login_required
def article_detail(request, pk):
    article = _article_for(request, pk)
    actions = []
    if _may_write(request.user, article.mall):
        held = roles_in(request.user, article.mall)
        actions = [(action, action.label) for action in allowed_actions(transitions_of(article), article.status, held)]
    uses = (
        article.uses.filter(complaint__in=Complaint.objects.for_user(request.user))
        .select_related("complaint", "used_by")
        .order_by("-used_at")[:50]
    )
    return render(
        request,
        "knowledge/detail.html",
        {
            "article": article,
            "actions": actions,
            "uses": uses,
            "can_edit": _may_write(request.user, article.mall) and article.status != ArticleStatus.ARCHIVED,
        },
    )


@login_required
def article_new(request):
    require_section(request.user, "knowledge")
    chain = has_role(request.user, None, *CHAIN_EDITORS)
    if not (chain or _may_write(request.user, request.mall)):
        raise PermissionDenied(_("Choose a mall where your role may write articles."))
    form = ArticleForm(request.POST or None, can_write_chain=chain)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mall = None if (chain and (data.get("chain_wide") or request.mall is None)) else request.mall
        try:
            article = services.article_create(
                actor=request.user,
                mall=mall,
                kind=data["kind"],
                category=data["category"],
                title=data["title"],
                body=data["body"],
                sources=data["sources"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved: publish it when it has been checked."))
            return redirect(article)
    return render(request, "knowledge/form.html", {"form": form})


@login_required
def article_edit(request, pk):
    article = _article_for(request, pk)
    if not _may_write(request.user, article.mall):
        raise PermissionDenied(_("Your role does not write this article."))
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in ("kind", "category", "title", "body", "sources")}
        try:
            services.article_update(article=article, actor=request.user, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Article saved."))
            return redirect(article)
    return render(request, "knowledge/form.html", {"form": form, "article": article})


@login_required
@require_POST
def article_action(request, pk, action):
    article = _article_for(request, pk)
    if action not in ArticleAction.values:
        raise Http404
    action = ArticleAction(action)
    try:
        services.article_transition(article=article, action=action, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": action.label})
    return redirect(article)


@login_required
@require_POST
def article_cite(request, pk):
    article = _article_for(request, pk)
    form = CiteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the complaint the article was used on."))
        return redirect(article)
    complaint = _complaint_for(request, form.cleaned_data["complaint"])
    as_json = request.headers.get("Accept", "").startswith("application/json")  # the reply picker
    try:
        services.article_cite(article=article, complaint=complaint, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        if as_json:
            return JsonResponse({"ok": False, "errors": error.messages}, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        if as_json:
            return JsonResponse({"ok": True})
        messages.success(request, _("Recorded on %(number)s.") % {"number": complaint.number})
    return redirect("complaints:detail", complaint.pk)


@login_required
def reply_picker(request):
    """Canned replies for the picker beside a text box: JSON, best matches first."""
    require_section(request.user, "knowledge")
    replies = selectors.articles_for(
        request.user, mall=request.mall, text=request.GET.get("q", "")[:100], kind=ArticleKind.REPLY
    )
    return JsonResponse(
        {"replies": [{"id": a.pk, "title": a.title, "text": a.body} for a in replies[:PICKER_LIMIT]]},
        json_dumps_params={"ensure_ascii": False},
    )


def _advice_from(request):
    form = AdvisorForm(request.GET or None)
    advice = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        facts = remedy.Facts(
            purchase_date=data["purchase_date"],
            delivery_date=data["delivery_date"],
            found_on=data["found_on"],
            failed_repairs=data["failed_repairs"] or 0,
            days_in_repair=data["days_in_repair"] or 0,
            custom_non_standard=data["custom_non_standard"],
            price=data["price"],
            fraud=data["fraud"],
        )
        policy = WarrantyPolicy.for_mall(request.mall) if request.mall else WarrantyPolicy._defaults(None)
        try:
            advice = remedy.advise(facts, policy)
        except ValidationError as error:
            add_service_errors(form, error)
    return form, advice


@login_required
def advisor(request):
    require_section(request.user, "knowledge")
    form, advice = _advice_from(request)
    return render(request, "knowledge/advisor.html", {"form": form, "advice": advice})


@login_required
def advisor_panel(request):
    """The advisor's answer alone, for the complaint intake's side panel."""
    require_section(request.user, "knowledge")
    form, advice = _advice_from(request)
    return render(request, "knowledge/_advice.html", {"form": form, "advice": advice, "panel": True})
