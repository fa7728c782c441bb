"""The demo's machine history (demo/loaders/machines.py): linked to the lab, kiosk links, past
jobs through the event service, nothing left running, nothing made twice."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify

from demo.loaders.machines import JOB_ID_PREFIX, history_size, load_machine_history, watch_live
from demo.reader import read_content
from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobOutcome, JobState, MachineJob, MachineJobEvent
from machines.selectors import documentation_rate, jobs_documented, rate_chart
from machines.services import machine_kiosk_token_rotate
from machines.simulation import simulated_member
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import JournalEntry
from tribes.factories import TribePageFactory
from users.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTENT = read_content()


@pytest.fixture
def lab_before_history():
    """What load_demo_data has made when the history step runs, in small."""
    lab = TribePageFactory(title=CONTENT.lab.tribe, slug=slugify(CONTENT.lab.tribe))
    machines = {
        m.slug: MachineFactory(slug=m.slug, name=m.name, kind=m.kind) for m in CONTENT.lab.machines
    }
    members = {
        m.username: UserFactory(username=m.username, badge_uid=m.badge_uid, is_staff=m.staff)
        for m in CONTENT.members
    }
    project = ProjectPageFactory(owner=members["camille.lefebvre"], title="Boîte à bijoux")
    entry = JournalEntryFactory(project=project, machine=machines["trotec-speedy-300"])
    written = timezone.now() - timedelta(days=30)
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=written)
    running = MachineJobFactory(machine=machines["prusa-mk4"], external_id="sim-left-running")
    return {"lab": lab, "machines": machines, "entry": entry, "running": running}


def test_history_links_machines_to_the_lab_gives_kiosk_links_and_leaves_nothing_running(
    lab_before_history,
):
    list(load_machine_history(CONTENT))

    for machine in lab_before_history["machines"].values():
        machine.refresh_from_db()
        assert machine.tribe == lab_before_history["lab"]
        assert machine.kiosk_token
    assert not MachineJob.objects.filter(state=JobState.RUNNING).exists()
    left_running = lab_before_history["running"]
    left_running.refresh_from_db()
    assert left_running.outcome == JobOutcome.CANCELLED


def test_history_records_four_months_of_jobs_documented_only_before_journal_entries(
    lab_before_history,
):
    entry = lab_before_history["entry"]
    entry.refresh_from_db()
    list(load_machine_history(CONTENT))

    jobs = MachineJob.objects.filter(external_id__startswith=JOB_ID_PREFIX)
    assert jobs.count() >= 40
    assert jobs.values("machine").distinct().count() >= 5
    assert not jobs.filter(member__isnull=True).exists()
    assert not jobs.exclude(state=JobState.FINISHED).exists()
    oldest = jobs.order_by("started_at").first().started_at
    assert timedelta(days=100) < timezone.now() - oldest <= timedelta(days=CONTENT.lab.history.days)
    sources = set(MachineJobEvent.objects.filter(job__in=jobs).values_list("source", flat=True))
    assert sources == {"demo"}
    assert len(rate_chart(documentation_rate(lab_before_history["lab"].machines.all()))) >= 4

    job = jobs_documented(jobs).get(documented=True)
    assert (job.machine, job.member) == (entry.machine, entry.author)
    assert job.finished_at < entry.created_at <= job.finished_at + MachineJob.DOCUMENTATION_WINDOW


def test_loading_the_history_twice_changes_nothing(lab_before_history):
    list(load_machine_history(CONTENT))
    kiosk_tokens = dict(
        lab_before_history["lab"].machines.values_list("slug", "kiosk_token").order_by("slug")
    )
    jobs = MachineJob.objects.count()

    again = list(load_machine_history(CONTENT))

    assert [created for _label, created in again] == [False] * len(again)
    assert len(again) == history_size(CONTENT)
    assert MachineJob.objects.count() == jobs
    assert dict(lab_before_history["lab"].machines.values_list("slug", "kiosk_token")) == (
        kiosk_tokens
    )


def test_simulated_member_is_the_first_demo_member_with_a_badge_who_is_not_staff(
    lab_before_history,
):
    assert simulated_member().username == "camille.lefebvre"
    assert watch_live(CONTENT, "http://127.0.0.1:8001") is None  # no kiosk link yet
    machine_kiosk_token_rotate(machine=lab_before_history["machines"]["trotec-speedy-300"])
    watch = watch_live(CONTENT, "http://127.0.0.1:8001")
    assert watch.member == "camille.lefebvre"
    assert "simulate_machine_job trotec-speedy-300" in watch.command
    # The links follow the address actually served (make demo DEMO_ADDRESS=127.0.0.1:8001).
    assert watch.kiosk_url.startswith("http://127.0.0.1:8001/")
    assert watch.command.endswith("--base-url http://127.0.0.1:8001")
