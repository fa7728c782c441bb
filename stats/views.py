"""/stats/: counts for staff (the whole site, or one tribe) and for tribe admins (their tribes),
each table with a plot and a CSV export."""

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tribes.permissions import tribes_managed_by
from users.roles import is_staff

from . import selectors
from .permissions import can_see_stats

CSV_DELIMITER = ";"  # what Excel expects in a French locale (docs/statistics.md)


class UnknownTribe(Exception):
    pass


def _scope(request) -> selectors.StatsScope:
    """The whole site for staff, else the tribes the user runs; `?tribe=<slug>` narrows it to
    one of them. Raises UnknownTribe for a tribe outside what the user may read."""
    allowed = tribes_managed_by(request.user)
    slug = request.GET.get("tribe", "").strip()
    if slug:
        tribe = allowed.filter(slug=slug).first()
        if tribe is None:
            raise UnknownTribe
        return selectors.StatsScope(tribes=(tribe,))
    if is_staff(request.user):
        return selectors.StatsScope(tribes=None)
    return selectors.StatsScope(tribes=tuple(allowed.order_by("title")))


def _allowed_or_403(user) -> None:
    if not can_see_stats(user):
        raise PermissionDenied(_("Statistics are for staff and for the admins of a tribe."))


def _unknown_tribe(request):
    messages.error(request, _("You cannot see the statistics of this tribe; here are yours."))
    return redirect("stats:index")


@login_required
def statistics(request):
    _allowed_or_403(request.user)
    try:
        scope = _scope(request)
    except UnknownTribe:
        return _unknown_tribe(request)
    choices = tribes_managed_by(request.user).order_by("title").only("title", "slug")
    return render(
        request,
        "stats/statistics.html",
        {
            "scope": scope,
            "tables": selectors.stats_tables(scope),
            "tribe_choices": choices,
            "selected_tribe": request.GET.get("tribe", "").strip() if scope.tribes else "",
            "can_see_whole_site": is_staff(request.user),
        },
    )


def _csv_cell(value) -> str:
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    return "" if value is None else str(value)


@login_required
def statistics_csv(request, table):
    _allowed_or_403(request.user)
    if table not in selectors.TABLES:
        raise Http404
    try:
        scope = _scope(request)
    except UnknownTribe:
        return _unknown_tribe(request)
    data = selectors.stats_table(scope, table)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    part = "carnet" if scope.whole_site else "-".join(t.slug for t in scope.tribes) or "carnet"
    filename = f"{part}-{table}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the byte order mark: Excel then reads UTF-8 (French accents)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([str(column) for column in data.columns])
    for row in data.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return response
