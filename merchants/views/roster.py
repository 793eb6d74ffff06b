from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from servicedesk.access import working_mall
from servicedesk.formerrors import add_service_errors

from .. import services
from ..forms import RosterImportForm
from ..models import MERCHANT_EDITORS
from ..services.roster_import import COLUMNS


@login_required
def roster_import(request):
    mall = working_mall(request, *MERCHANT_EDITORS)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_roster(mall=mall, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request, "merchants/import.html", {"form": form, "result": result, "mall": mall, "columns": list(COLUMNS)}
    )
