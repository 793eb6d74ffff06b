from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import dashboards
from . import status as health
from .access import all_roles, reads_all_malls
from .middleware import SESSION_MALL_KEY, switchable_malls
from .navigation import require_section, sections_for
from .roles import Role


@login_required
def home(request):
    sections = [s for s in sections_for(all_roles(request.user), request.user.is_superuser) if s.key != "status"]
    context = {"sections": sections}
    if request.mall is not None:
        context["dashboard"] = dashboards.build("mall", request.user, request.mall)
    elif reads_all_malls(request.user) and Role.HEAD_OFFICE in all_roles(request.user):
        malls = list(switchable_malls(request.user))  # ordered by code
        # The navbar's mall switcher reads the same list (the view's context wins over the processor's).
        context["switchable_malls"] = malls
        context["chain"] = dashboards.build("chain", malls)
    return render(request, "servicedesk/home.html", context)


def section_index(key, template):
    """An app's landing page, open to the roles that see the section in the navigation."""

    @login_required
    def view(request):
        section = require_section(request.user, key)
        return render(request, template, {"section": section})

    view.__name__ = f"{key}_index"
    return view


@login_required
@require_POST
def switch_mall(request):
    wanted = request.POST.get("mall", "")
    if wanted == "all" and reads_all_malls(request.user):
        request.session[SESSION_MALL_KEY] = None
        messages.success(request, _("Now reading all malls."))
    else:
        mall = switchable_malls(request.user).filter(pk=wanted).first() if wanted.isdigit() else None
        if mall is None:
            messages.error(request, _("You are not a member of that mall."))
        else:
            request.session[SESSION_MALL_KEY] = mall.pk
            messages.success(request, _("Now working in %(mall)s.") % {"mall": mall})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    return HttpResponseRedirect(target)


@login_required
def status_page(request):
    if not (request.user.is_superuser or Role.ADMIN in all_roles(request.user)):
        raise PermissionDenied(_("Only administrators may see the system status."))
    checks = health.all_checks()
    return render(
        request,
        "servicedesk/status.html",
        {"checks": checks, "all_ok": all(c.ok for c in checks), "degraded": any(c.warning for c in checks)},
        status=200 if all(c.ok for c in checks) else 503,
    )
