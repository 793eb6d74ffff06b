from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import mark_read


@login_required
def notification_list(request):
    notifications = Notification.objects.for_recipient(request.user).select_related("mall")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "servicedesk/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    # Someone else's notification is 404, like any record that is not yours.
    notification = get_object_or_404(Notification.objects.for_recipient(request.user), pk=pk)
    mark_read(request.user, [notification.pk])
    safe = url_has_allowed_host_and_scheme(notification.url, {request.get_host()}, request.is_secure())
    return redirect(notification.url if notification.url and safe else "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    mark_read(request.user)
    return redirect("notifications:list")
