"""The pages the README shows, in Chromium at desktop width, on a small lab that looks lived-in:
a visitor sees the home page (the featured showcase, latest projects and journal entries, a
machine running, an open call) and the showcase's page; staff see the curation queue in the
Wagtail admin, best documented first, and the statistics with their plots.

In French, the members' language, like the other pictures of the README. With
CARNET_SCREENSHOTS=1 the test writes docs/screenshots/home.png, showcase.png,
curation-queue.png and statistics.png (see tests/browser/conftest.py)."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from calls.factories import CallForProjectsPageFactory, OrganisationFactory
from demo.photos import demo_photo
from home import services as home_services
from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobState, Machine
from projects import services as project_services
from projects.models import Difficulty, JournalEntry, JournalEntryKind, ProjectPage, ProjectStatus
from showcases import services as showcase_services
from stats.selectors import curation_queue
from tests.helpers import published
from tribes.factories import TribeMembershipFactory, TribePageFactory
from tribes.models import TribeMembership
from users.factories import DEFAULT_PASSWORD, UserFactory
from users.models import User

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr"}}
SHOWCASE_TITLE = "Premiers pas au fab lab"
RUNNING_MACHINE = "Prusa MK4"
OPEN_CALL = "Une applique murale découpée au laser"
STATS_TABLES = ["members", "new-members", "projects", "journal", "documentation", "machines"]

# (username, display name, months since they joined)
MEMBERS = [
    ("camille", "Camille Leroy", 7),
    ("julien", "Julien Martin", 6),
    ("bernard", "Bernard Caron", 5),
    ("lea", "Léa Dubois", 4),
    ("thomas", "Thomas Petit", 2),
    ("ines", "Inès Moreau", 1),
    ("hugo", "Hugo Lefèvre", 0),
]
# (tribe, its members' usernames; the first one is its admin)
TRIBES = [
    ("La Machinerie", ["camille", "julien", "bernard", "lea", "thomas", "ines", "hugo"]),
    ("Club électronique", ["julien", "lea", "hugo"]),
    ("Atelier bois", ["bernard", "camille"]),
]
# (title, owner, photo theme, summary, months ago, documented in full)
PROJECTS = [
    (
        "Boîte à bijoux en contreplaqué gravé",
        "camille",
        "laser",
        "Une boîte à queues droites découpée et gravée au laser, avec la grille de test "
        "puissance / vitesse qui va avec.",
        5,
        True,
    ),
    (
        "Station météo connectée avec un ESP32",
        "julien",
        "electronics",
        "Un ESP32, un capteur BME280 et un abri imprimé en 3D, qui publient leurs mesures "
        "toutes les dix minutes.",
        4,
        True,
    ),
    (
        "Planche à découper en chêne massif",
        "bernard",
        "cnc",
        "Première prise en main de la fraiseuse numérique : une rigole, une poignée, deux leçons.",
        3,
        False,
    ),
    (
        "Robot suiveur de ligne avec les CM1",
        "lea",
        "robotics",
        "Un robot à deux roues et trois capteurs infrarouges, construit avec une classe de CM1.",
        2,
        False,
    ),
    (
        "Porte-clés imprimés pour la fête du quartier",
        "thomas",
        "print3d",
        "Quarante porte-clés en PLA, de la modélisation à la série.",
        0,
        False,
    ),
]
SHOWCASE = [
    (
        "Boîte à bijoux en contreplaqué gravé",
        "Le projet idéal pour apprivoiser la découpeuse laser, ratés compris.",
    ),
    (
        "Planche à découper en chêne massif",
        "Une planche qui bouge pendant la rigole, et les deux leçons qui vont avec.",
    ),
    (
        "Station météo connectée avec un ESP32",
        "Un journal exemplaire, du premier capteur au boîtier étanche.",
    ),
]
# (project, author, kind, title, machine, months ago)
JOURNAL = [
    ("Boîte à bijoux", "camille", "trial", "Grille de test sur contreplaqué 3 mm", "trotec", 5),
    ("Boîte à bijoux", "camille", "failure", "Bords brûlés à 80 % de puissance", "trotec", 5),
    ("Boîte à bijoux", "camille", "lesson", "Deux passes valent mieux qu'une", "trotec", 4),
    ("Station météo", "julien", "research", "Quel capteur pour l'humidité ?", None, 4),
    ("Station météo", "julien", "trial", "Abri imprimé en PETG", "prusa", 3),
    ("Station météo", "julien", "failure", "L'ESP32 redémarre sous la pluie", None, 2),
    ("Planche à découper", "bernard", "failure", "La planche a bougé pendant la rigole", "cnc", 3),
    ("Planche à découper", "bernard", "lesson", "Brider aux quatre coins", "cnc", 2),
    ("Robot suiveur", "lea", "trial", "Premier tour de piste dans le préau", None, 1),
    ("Porte-clés", "thomas", "trial", "Dix porte-clés par plateau", "prusa", 0),
    ("Station météo", "julien", "lesson", "Un joint torique, et tout va mieux", None, 0),
]
# Entries tied to some of the laser's jobs (the documentation rate).
JOB_ENTRY_TITLES = [
    "Côtés de la boîte, 3 mm",
    "Gravure du couvercle",
    "Charnière vivante : trop raide",
    "Charnière vivante, traits à 1 mm",
    "Fond en MDF 3 mm",
]
# (machine, slug, kind, finished jobs per month ago)
MACHINES = [
    ("Trotec Speedy 300", "trotec", Machine.Kind.LASER_CUTTER, {5: 6, 4: 5, 3: 4, 1: 7, 0: 3}),
    (RUNNING_MACHINE, "prusa", Machine.Kind.PRINTER_3D, {4: 2, 3: 5, 2: 6, 1: 4, 0: 5}),
    ("Stepcraft D.840", "cnc", Machine.Kind.CNC_MILL, {3: 2, 2: 3, 0: 1}),
]


def months_ago(months: int, *, now=None):
    return (now or timezone.now()) - timedelta(days=30 * months, hours=2)


def build_lab():
    """A small lab that looks lived-in, built through the services where they exist; dates
    moved into the past afterwards so the statistics have months to plot."""
    now = timezone.now()
    staff = UserFactory(
        username="equipe", display_name="L'équipe du lab", staff=True, is_superuser=True
    )
    people = {}
    for username, name, joined in MEMBERS:
        people[username] = UserFactory(username=username, display_name=name)
        User.objects.filter(pk=people[username].pk).update(date_joined=months_ago(joined, now=now))
    joined = {username: months for username, _name, months in MEMBERS}
    for title, usernames in TRIBES:
        tribe = TribePageFactory(title=title)
        for position, username in enumerate(usernames):
            membership = TribeMembershipFactory(
                tribe=tribe, user=people[username], admin=position == 0
            )
            TribeMembership.objects.filter(pk=membership.pk).update(
                created_at=months_ago(joined[username], now=now)
            )

    machines = {
        slug: MachineFactory(name=name, slug=slug, kind=kind)
        for name, slug, kind, _jobs in MACHINES
    }
    for _name, slug, _kind, per_month in MACHINES:
        for months, count in per_month.items():
            for number in range(count):
                started = months_ago(months, now=now) - timedelta(days=number)
                MachineJobFactory(
                    machine=machines[slug],
                    member=people[MEMBERS[number % len(MEMBERS)][0]],
                    state=JobState.FINISHED,
                    started_at=started,
                    finished_at=started + timedelta(minutes=40),
                    last_event_at=started + timedelta(minutes=40),
                )
    MachineJobFactory(
        machine=machines["prusa"],
        member=people["thomas"],
        started_at=now - timedelta(minutes=25),
        file_name="porte-cles-x10.gcode",
    )

    projects = {}
    for title, owner, theme, summary, months, documented in PROJECTS:
        member = people[owner]
        project = published(
            project_services.project_create(
                owner=member,
                title=title,
                summary=summary,
                photo=demo_photo(theme=theme, caption=title, seed="cover"),
            )
        )
        if documented:
            project = project_services.project_update(
                project=project,
                user=member,
                status=ProjectStatus.PROTOTYPE_WORKS,
                difficulty=Difficulty.BEGINNER,
                licence="CC-BY-SA-4.0",
                tags=["fab lab", theme],
                presentation="Pourquoi ce projet, et pour qui.",
                methodology="Des essais courts, notés au fur et à mesure.",
                technical_architecture="Les pièces, les machines et les réglages.",
            )
            project_services.project_step_add(
                project=project,
                user=member,
                title="Préparer les fichiers",
                body="Exporter en SVG, vérifier les tracés.",
                photos=[demo_photo(theme=theme, caption="Préparer les fichiers", seed=title)],
            )
        ProjectPage.objects.filter(pk=project.pk).update(
            first_published_at=months_ago(months, now=now),
            last_published_at=months_ago(months, now=now) + timedelta(days=3),
            latest_revision_created_at=months_ago(months, now=now) + timedelta(days=3),
        )
        projects[title] = project

    for start, author, kind, title, machine, months in JOURNAL:
        project = next(p for name, p in projects.items() if name.startswith(start))
        entry = project_services.journal_entry_create(
            project=project,
            author=people[author],
            kind=kind,
            title=title,
            body=f"{title}. Réglages notés, photos à venir.",
            machine=machines.get(machine),
        )
        JournalEntry.objects.filter(pk=entry.pk).update(
            created_at=months_ago(months, now=now) + timedelta(hours=1)
        )
    # A few finished jobs documented by an entry tied to them (the documentation rate).
    jobs = machines["trotec"].jobs.filter(state=JobState.FINISHED).order_by("started_at")[::3]
    for job, title in zip(jobs, itertools.cycle(JOB_ENTRY_TITLES), strict=False):
        entry = JournalEntry.objects.create(
            project=projects["Boîte à bijoux en contreplaqué gravé"],
            author=people["camille"],
            kind=JournalEntryKind.TRIAL,
            title=title,
            body=f"{title} : réglages notés sur la fiche de la machine.",
            machine=job.machine,
            job=job,
        )
        JournalEntry.objects.filter(pk=entry.pk).update(created_at=job.started_at)

    showcase = showcase_services.showcase_create(
        user=staff,
        title=SHOWCASE_TITLE,
        intro="Vous venez d'arriver au fab lab ? Ces projets se font en une ou deux soirées, "
        "avec les machines de la formation d'accueil. Leurs journaux racontent aussi les "
        "ratés : lisez-les avant de lancer la découpe.",
        hero_image=projects[SHOWCASE[0][0]].cover_image,
        items=[(projects[title], note) for title, note in SHOWCASE],
    )
    home_services.home_featured_showcase_set(user=staff, showcase=showcase)
    CallForProjectsPageFactory(
        title=OPEN_CALL,
        organisation=OrganisationFactory(name="Lumina Éclairage"),
        deadline=now + timedelta(days=21),
    )
    return staff, showcase


def visitor_page(browser):
    context = browser.new_context(**DESKTOP, **FRENCH)
    return context, context.new_page()


def staff_page(browser, live_url: str, staff):
    """Staff, logged in through the login page (in French: fields found by name)."""
    context = browser.new_context(**DESKTOP, **FRENCH)
    page = context.new_page()
    page.goto(f"{live_url}/accounts/login/")
    page.locator("input[name=username]").fill(staff.username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page).to_have_url(f"{live_url}/")
    return context, page


def expect_images_loaded(page, selector: str, count: int) -> None:
    """`count` images under `selector`, each decoded (served, not a broken icon)."""
    images = page.locator(f"{selector} img")
    expect(images).to_have_count(count)
    for image in images.all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")


def full_page_screenshot(screenshot, page, name: str) -> None:
    """From the top, so the sticky header is drawn where it belongs."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name, full_page=True)


def test_visitor_sees_the_featured_showcase_on_the_home_page_and_its_page(
    orm, live_url, browser, screenshot
):
    _staff, showcase = orm(build_lab)
    context, page = visitor_page(browser)

    page.goto(f"{live_url}/")
    featured = page.locator(".home-showcase")
    expect(featured.get_by_role("heading", name=SHOWCASE_TITLE)).to_be_visible()
    items = featured.locator(".showcase-items > li")
    for position, (title, _note) in enumerate(SHOWCASE):
        expect(items.nth(position)).to_contain_text(title)
    expect_images_loaded(page, ".home-showcase .showcase-items", len(SHOWCASE))
    latest = page.locator("section[aria-labelledby=latest-projects]")
    expect(latest.locator(".grid > *")).to_have_count(len(PROJECTS))
    expect(latest).to_contain_text("Porte-clés imprimés pour la fête du quartier")
    expect(page.locator(".activity > li").first).to_be_visible()
    expect(page.locator(".running-machines")).to_contain_text(RUNNING_MACHINE)
    expect(page.locator(".running-machines > li")).to_have_count(1)
    expect(page.locator(".home-calls")).to_contain_text(OPEN_CALL)
    counts = page.locator(".home-counts dd")
    figures = [len(PROJECTS), orm(JournalEntry.objects.count), orm(User.objects.count), len(TRIBES)]
    expect(counts).to_have_text([str(figure) for figure in figures])
    full_page_screenshot(screenshot, page, "home.png")

    featured.get_by_role("link", name=SHOWCASE_TITLE).click()
    expect(page).to_have_url(f"{live_url}{orm(showcase.get_url)}")
    expect(page.get_by_role("heading", level=1)).to_have_text(SHOWCASE_TITLE)
    items = page.locator(".showcase-items > li")
    expect(items).to_have_count(len(SHOWCASE))
    for position, (title, note) in enumerate(SHOWCASE):
        expect(items.nth(position)).to_contain_text(title)
        expect(items.nth(position)).to_contain_text(note)
    expect(page.locator("img.showcase__hero")).to_have_js_property("complete", True)
    assert page.locator("img.showcase__hero").evaluate("img => img.naturalWidth") > 0
    expect_images_loaded(page, ".showcase-items", len(SHOWCASE))
    full_page_screenshot(screenshot, page, "showcase.png")
    context.close()


def test_staff_see_the_curation_queue_best_documented_first_and_the_statistics_plots(
    orm, live_url, browser, screenshot
):
    staff, _showcase = orm(build_lab)
    context, page = staff_page(browser, live_url, staff)

    page.goto(f"{live_url}/admin/curation/")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(len(PROJECTS))
    titles = [row.locator("td").first.locator("a").first.inner_text() for row in rows.all()]
    scores = [int(row.locator("td").nth(2).locator("strong").inner_text()) for row in rows.all()]
    assert scores == sorted(scores, reverse=True), scores
    assert scores[0] > scores[-1], scores
    assert set(titles[:2]) == {title for title, *_rest, full in PROJECTS if full}, titles
    assert titles == orm(lambda: [c.project.title for c in curation_queue()])
    full_page_screenshot(screenshot, page, "curation-queue.png")

    page.goto(f"{live_url}/stats/")
    for slug in STATS_TABLES:
        section = page.locator(f"section#{slug}")
        expect(section.locator("svg")).to_have_count(1)
        bars = section.locator("svg rect.rate-chart__bar")
        heights = [float(bar.get_attribute("height")) for bar in bars.all()]
        assert heights and max(heights) > 0, (slug, heights)
    members = page.locator("section#members tbody tr").first
    expect(members.locator("td")).to_have_text(["La Machinerie", "7", "1", "7", "0"])
    machines = page.locator("section#machines tbody tr").first
    expect(machines.locator("td").first).to_have_text("Trotec Speedy 300")
    full_page_screenshot(screenshot, page, "statistics.png")
    context.close()
