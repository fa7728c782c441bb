"""Machine pages for members and lab admins, the kiosk, and the member's side of a job."""

import segno
from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from images.services import image_create_from_upload
from visibility.loaders import everyone, get_visible_or_404, object_view

from . import selectors, services
from .forms import DebriefForm, MachineForm, QuickLogForm
from .live import fragment_stream, release_request_connections, stream_read
from .models import Machine, MachineJob
from .permissions import (
    can_act_on_job,
    can_add_machine,
    can_manage_machine,
    kiosk_token_is_valid,
    machines_managed_by,
)


def qr_svg(url: str) -> str:
    """An inline SVG QR code; scanned by the member's phone, so it carries an absolute URL."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, omitsize=True)


# Machines are public (their page is open to anyone): the loader refuses only missing ones,
# then the settings are for the lab's admins and staff (403).
managed_machine = object_view(
    Machine,
    visible=everyone,
    allowed=can_manage_machine,
    denied=gettext_lazy("Only the lab's admins and staff manage this machine."),
)


# Pages ------------------------------------------------------------------------------------


def machine_list(request):
    running = {job.machine_id: job for job in selectors.machines_running_now()}
    machines = list(selectors.machine_list())
    for machine in machines:
        machine.running_job = running.get(machine.pk)
    return render(
        request,
        "machines/machine_list.html",
        {
            "machines": machines,
            "can_add": can_add_machine(request.user),
            "can_see_rate": machines_managed_by(request.user).exists(),
        },
    )


def machine_detail(request, slug):
    machine = get_visible_or_404(
        request.user, selectors.machine_list(), visible=everyone, slug=slug
    )
    current = selectors.machine_current_job(machine)
    return render(
        request,
        "machines/machine_detail.html",
        {
            "machine": machine,
            "current": selectors.public_job(current) if current else None,
            "entries": selectors.machine_recent_entries(machine, user=request.user),
            "can_manage": can_manage_machine(request.user, machine),
            "job_qr": qr_svg(request.build_absolute_uri(reverse("machines:job_here", args=[slug]))),
        },
    )


def _save_machine_photo(form, user, machine_fields: dict) -> None:
    """A new photo, if one was chosen (kept from an earlier error, or uploaded now)."""
    photos = form.photo_images()
    if not photos:
        return
    photo = photos[0]
    if not hasattr(photo, "get_rendition"):  # an upload, not yet an image
        photo = image_create_from_upload(file=photo, title=machine_fields["name"], uploaded_by=user)
    machine_fields["photo"] = photo


@login_required
def machine_create(request):
    if not can_add_machine(request.user):
        raise PermissionDenied(_("Only tribe admins and staff add machines."))
    form = MachineForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            fields = form.machine_fields()
            _save_machine_photo(form, request.user, fields)
            machine = services.machine_create(user=request.user, **fields)
            token = services.machine_token_rotate(machine=machine)
            return _show_token(request, machine, token)
        form.keep_uploaded_photos()
    return render(
        request, "machines/machine_form.html", {"form": form, "heading": _("Add a machine")}
    )


@managed_machine
def machine_edit(request, machine):
    initial = {
        name: getattr(machine, name)
        for name in ("name", "kind", "tribe", "location", "octoprint_url", "octoprint_api_key")
    }
    form = MachineForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        machine=machine,
        initial=initial,
    )
    if request.method == "POST":
        if form.is_valid():
            fields = form.machine_fields()
            _save_machine_photo(form, request.user, fields)
            services.machine_update(machine=machine, **fields)
            messages.success(request, _("Machine saved."))
            return redirect(machine.get_absolute_url())
        form.keep_uploaded_photos()
    return render(
        request,
        "machines/machine_form.html",
        {"form": form, "machine": machine, "heading": _("Edit %(name)s") % {"name": machine}},
    )


def _show_token(request, machine, token):
    return render(
        request,
        "machines/machine_token.html",
        {
            "machine": machine,
            "token": token,
            "events_url": request.build_absolute_uri(
                reverse("machines_api:record_event", kwargs={"slug": machine.slug})
            ),
        },
    )


@require_POST
@managed_machine
def machine_token_rotate(request, machine):
    return _show_token(request, machine, services.machine_token_rotate(machine=machine))


@require_POST
@managed_machine
def machine_kiosk_rotate(request, machine):
    services.machine_kiosk_token_rotate(machine=machine)
    messages.success(request, _("New kiosk link made; the old one no longer opens the kiosk."))
    return redirect(machine.get_absolute_url())


@login_required
def documentation_rate(request):
    machines = machines_managed_by(request.user)
    if not machines.exists():
        raise PermissionDenied(_("The documentation rate is for lab admins and staff."))
    rows = selectors.documentation_rate(machines)
    return render(
        request,
        "machines/documentation_rate.html",
        {"rows": rows, "chart": selectors.rate_chart(rows)},
    )


# The kiosk ----------------------------------------------------------------------------------


def _kiosk_machine(request, slug) -> Machine:
    machine = get_visible_or_404(request.user, Machine, visible=everyone, slug=slug)
    if not kiosk_token_is_valid(machine, request.GET.get("token", "")):
        raise PermissionDenied(_("This kiosk link is not valid (any more). Ask the lab's admins."))
    return machine


def render_kiosk_state(request, machine: Machine) -> str:
    current = selectors.machine_current_job(machine)
    context = {"machine": machine, "current": None, "entries": []}
    if current:
        job_url = request.build_absolute_uri(reverse("machines:job", args=[current.pk]))
        context |= {"current": selectors.public_job(current), "job_qr": qr_svg(job_url)}
    else:
        context["entries"] = selectors.machine_recent_entries(machine)
    return render_to_string("machines/includes/kiosk_state.html", context, request=request)


# Live state behind a secret token that can be revoked: never kept by a cache.
@never_cache
def kiosk(request, slug):
    machine = _kiosk_machine(request, slug)
    token = request.GET["token"]
    return render(
        request,
        "machines/kiosk.html",
        {
            "machine": machine,
            "state": render_kiosk_state(request, machine),
            "stream_url": f"{reverse('machines:kiosk_stream', args=[slug])}?token={token}",
            "poll_url": f"{reverse('machines:kiosk_state', args=[slug])}?token={token}",
        },
    )


def kiosk_state(request, slug):
    machine = _kiosk_machine(request, slug)
    return _fragment(render_kiosk_state(request, machine))


def _fragment(html: str) -> HttpResponse:
    response = HttpResponse(html)
    response["Cache-Control"] = "no-store"
    return response


async def _event_stream(request, render_html, *, share_key=None) -> HttpResponse:
    """Server-sent events under ASGI. Under WSGI a stream would hold a worker, so it answers
    204 and the page polls instead (EventSource stops on 204). Streams with the same
    `share_key` (and language) render their fragment once per change."""
    if not isinstance(request, ASGIRequest):
        return HttpResponse(status=204)
    await release_request_connections()
    language = translation.get_language()

    def render_in_language():
        with translation.override(language):
            return render_html()

    if share_key is not None:
        share_key = (share_key, language)
    response = StreamingHttpResponse(
        fragment_stream(stream_read(render_in_language), share_key=share_key),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
    return response


async def kiosk_stream(request, slug):
    machine = await sync_to_async(_kiosk_machine)(request, slug)
    # Every kiosk of a machine shows the same screen (its QR code names this host).
    return await _event_stream(
        request,
        lambda: render_kiosk_state(request, machine),
        share_key=("kiosk", machine.pk, request.get_host(), request.scheme),
    )


# The member's side ---------------------------------------------------------------------------


def render_banner(request, user) -> str:
    jobs = selectors.jobs_needing_member(user)
    return render_to_string("machines/includes/job_banner.html", {"jobs": jobs}, request=request)


@login_required
def banner_state(request):
    return _fragment(render_banner(request, request.user))


async def banner_stream(request):
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(status=204)
    return await _event_stream(request, lambda: render_banner(request, user))


@login_required
def job_here(request, slug):
    """The QR code stuck on the machine: straight to the job running on it."""
    machine = get_visible_or_404(request.user, Machine, visible=everyone, slug=slug)
    current = selectors.machine_current_job(machine)
    if current is None:
        messages.info(
            request, _("No job is running on %(machine)s right now.") % {"machine": machine}
        )
        return redirect(machine.get_absolute_url())
    if not can_act_on_job(request.user, current):
        messages.info(
            request,
            _("Another member is using %(machine)s right now.") % {"machine": machine},
        )
        return redirect(machine.get_absolute_url())
    return redirect("machines:job", pk=current.pk)


# Said once a job is logged, in the words of what the machine does.
NEUTRAL_WISH = gettext_lazy("Logged in your journal. Good luck with the job!")
QUICK_LOG_WISHES = {
    Machine.Kind.LASER_CUTTER: gettext_lazy("Logged in your journal. Enjoy the cutting!"),
    Machine.Kind.VINYL_CUTTER: gettext_lazy("Logged in your journal. Enjoy the cutting!"),
    Machine.Kind.PRINTER_3D: gettext_lazy("Logged in your journal. Enjoy the printing!"),
}


def _job_for(request, pk) -> MachineJob:
    """A job is seen by the member who runs it (anyone, while unclaimed): for everyone else it
    answers the same 404 as a job that does not exist."""
    return get_visible_or_404(
        request.user,
        MachineJob.objects.select_related("machine", "project", "member"),
        visible=can_act_on_job,
        pk=pk,
    )


@login_required
def job_detail(request, pk):
    """The quick log while the job runs; "how did it go?" once it has ended."""
    job = _job_for(request, pk)
    if not job.is_running:
        return redirect("machines:job_debrief", pk=job.pk)
    form = QuickLogForm(request.POST or None, request.FILES or None, user=request.user, job=job)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.machine_job_quick_log(
                    job=job,
                    user=request.user,
                    project=data["project"],
                    body=data["body"],
                    kind=data["kind"],
                    parameters=data["parameters"],
                    photos=form.photo_images(),
                )
            except PermissionDenied as error:
                form.add_error("project", str(error))
            else:
                messages.success(request, QUICK_LOG_WISHES.get(job.machine.kind, NEUTRAL_WISH))
                return redirect(entry.get_absolute_url())
        form.keep_uploaded_photos()
    return render(request, "machines/job_quick_log.html", {"job": job, "form": form})


@login_required
def job_debrief(request, pk):
    job = _job_for(request, pk)
    form = DebriefForm(request.POST or None, user=request.user, job=job)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.machine_job_debrief(
                job=job,
                user=request.user,
                outcome=data["outcome"],
                lesson=data["lesson"],
                project=data["project"],
            )
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            messages.success(request, _("Thank you! It is in your journal."))
            return redirect(entry.get_absolute_url())
    return render(request, "machines/job_debrief.html", {"job": job, "form": form})
