"""The main flow of calls for projects, end to end in Chromium: a company posts a call → a
moderator approves it in the Wagtail admin → a member applies with a public project → the company
shortlists and accepts → the member sees "accepted" and has a notification.

Each actor logs in through the real login page in a browser context of their own; every step
goes through the buttons docs/calls.md lists; states are read from the `data-call-status` and
`data-application-status` attributes, and checked in the database."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from calls.factories import OrganisationFactory, OrganisationMembershipFactory
from calls.models import Application, ApplicationStatus, CallForProjectsPage, CallStatus
from notifications.models import Notification
from projects import services as project_services
from tests.helpers import published
from users.factories import DEFAULT_PASSWORD, UserFactory

from .conftest import ENGLISH, PHONE

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
CALL_TITLE = "Une applique murale découpée au laser"


def build_people():
    """An approved organisation with its owner, a member with a public project, and a staff
    member of the Moderators group (who approves calls, docs/calls.md)."""
    organisation = OrganisationFactory(name="Lumina Éclairage")
    owner = UserFactory(username="claire", display_name="Claire Vasseur")
    OrganisationMembershipFactory(organisation=organisation, user=owner, owner=True)
    member = UserFactory(username="camille", display_name="Camille Leroy")
    project = published(
        project_services.project_create(
            owner=member,
            title="Lampe origami",
            summary="Une lampe en papier plié, éclairée par un ruban de LED.",
        )
    )
    moderator = UserFactory(username="moderatrice", display_name="Inès", staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return organisation, owner, member, project, moderator


def log_in(browser, live_url: str, user, *, next_url: str = "/", **context_options):
    """A new browser context for `user`, logged in through the login page."""
    context = browser.new_context(**ENGLISH, **context_options)
    page = context.new_page()
    page.goto(f"{live_url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_url}{next_url}")
    return context, page


def the_call():
    return CallForProjectsPage.objects.select_related("organisation").get(title=CALL_TITLE)


def workflow_statuses(call) -> list[str]:
    """The status of each moderation of `call`, oldest first."""
    return list(
        WorkflowState.objects.for_instance(call)
        .order_by("created_at")
        .values_list("status", flat=True)
    )


def notification_titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_company_posts_staff_approve_member_applies_company_accepts_member_sees_it(
    orm, live_url, browser
):
    organisation, owner, member, project, moderator = orm(build_people)
    deadline = timezone.localtime() + timedelta(days=30)

    # The company writes the call and submits it for review.
    company_context, company = log_in(browser, live_url, owner, next_url="/calls/", **DESKTOP)
    company.get_by_role("link", name="Post a call for projects").click()
    company.get_by_label("Title of the call").fill(CALL_TITLE)
    company.get_by_role("textbox", name="Brief").fill(
        "Nous cherchons une **applique** en bois, montée sans vis."
    )
    company.get_by_role("textbox", name="Deliverables").fill("Un prototype et les fichiers SVG.")
    company.get_by_role("spinbutton", name="Amount").fill("1500")
    company.get_by_label("Deadline for applications").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    company.get_by_label("Skills and tags").fill("découpe laser, luminaire")
    company.get_by_role("button", name="Submit for review").click()
    expect(company.get_by_text("Your call has been sent to the staff for review.")).to_be_visible()
    expect(company.locator("[data-call-status]")).to_have_attribute(
        "data-call-status", CallStatus.SUBMITTED
    )
    expect(company.get_by_text("Waiting for the staff's review.")).to_be_visible()
    call = orm(the_call)
    assert call.organisation == organisation
    assert call.status == CallStatus.SUBMITTED
    assert not call.live
    assert orm(workflow_statuses, call) == [WorkflowState.STATUS_IN_PROGRESS]

    # A moderator approves it from the admin dashboard's "Awaiting your review" panel.
    staff_context, staff = log_in(browser, live_url, moderator, next_url="/admin/", **DESKTOP)
    panel = staff.get_by_role("region", name="Awaiting your review")
    awaiting = panel.locator("tr", has_text=CALL_TITLE)
    expect(awaiting).to_be_visible()
    awaiting.get_by_role("button", name="Actions").click()
    approve = awaiting.locator("[data-workflow-action-url*='/approve/']:not([data-launch-modal])")
    expect(approve).to_be_visible()
    with staff.expect_navigation():  # Wagtail posts the action, then reloads the dashboard
        approve.click()
    expect(panel.locator("tr", has_text=CALL_TITLE)).to_have_count(0)
    call = orm(the_call)
    assert call.status == CallStatus.OPEN
    assert call.live
    assert orm(workflow_statuses, call) == [WorkflowState.STATUS_APPROVED]
    assert f"“{CALL_TITLE}” is open" in " ".join(orm(notification_titles, owner))

    # A member, on a phone, applies with a public project.
    member_context, phone = log_in(browser, live_url, member, next_url=call.url, **PHONE)
    expect(phone.locator("[data-call-status]")).to_have_attribute(
        "data-call-status", CallStatus.OPEN
    )
    phone.get_by_role("link", name="Apply to this call").click()
    phone.get_by_role("textbox", name="Your pitch").fill(
        "Une applique en bouleau pliée comme ma **lampe origami**, livrée en kit."
    )
    phone.get_by_label("Lampe origami").check()
    phone.get_by_role("button", name="Send my application").click()
    expect(phone.get_by_text("Your application has been sent to Lumina Éclairage")).to_be_visible()
    expect(phone.locator("[data-application-status]")).to_have_attribute(
        "data-application-status", ApplicationStatus.SUBMITTED
    )
    application = orm(Application.objects.get, call=call)
    assert application.applicant_user_id == member.pk
    assert orm(lambda: list(application.projects.values_list("pk", flat=True))) == [project.pk]

    # The company sees it, shortlists it, then accepts it with a message.
    company.goto(f"{live_url}{call.url}")
    company.get_by_role("link", name="See the applications").click()
    row = company.locator(f"[data-application-status='{ApplicationStatus.SUBMITTED}']")
    expect(row).to_contain_text("Camille Leroy")
    row.get_by_role("link", name="Camille Leroy").click()
    expect(company.get_by_role("link", name="Lampe origami")).to_be_visible()
    company.get_by_role("button", name="Shortlist").click()
    expect(company.get_by_text("Application shortlisted; the applicant is told.")).to_be_visible()
    status = company.locator("[data-application-status]")
    expect(status).to_have_attribute("data-application-status", ApplicationStatus.SHORTLISTED)
    assert orm(Application.objects.get, pk=application.pk).status == ApplicationStatus.SHORTLISTED
    company.get_by_label("Message to the applicant (optional)").fill("Bienvenue à bord !")
    company.get_by_role("button", name="Accept").click()
    expect(company.get_by_text("Application accepted; the applicant is told.")).to_be_visible()
    expect(status).to_have_attribute("data-application-status", ApplicationStatus.ACCEPTED)
    expect(company.get_by_role("button", name="Decline")).to_have_count(0)
    application = orm(Application.objects.get, pk=application.pk)
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.decision_message == "Bienvenue à bord !"

    # The member sees "accepted", the company's message, and a notification.
    phone.goto(f"{live_url}/calls/mine/")
    mine = phone.locator(".application-list [data-application-status]")
    expect(mine).to_have_count(1)
    expect(mine).to_have_attribute("data-application-status", ApplicationStatus.ACCEPTED)
    expect(mine).to_contain_text("Accepted")
    mine.get_by_role("link", name="Camille Leroy").click()
    expect(phone.locator("[data-application-status]")).to_have_attribute(
        "data-application-status", ApplicationStatus.ACCEPTED
    )
    expect(phone.get_by_text("Bienvenue à bord !")).to_be_visible()
    phone.goto(f"{live_url}/notifications/")
    accepted = phone.locator(".notification", has_text=f"Your application to “{CALL_TITLE}”")
    expect(accepted.filter(has_text="is accepted")).to_have_count(1)
    expect(accepted.filter(has_text="is accepted")).to_contain_text("Bienvenue à bord !")
    titles = orm(notification_titles, member)
    assert f"Your application to “{CALL_TITLE}” is accepted" in titles
    assert f"Your application to “{CALL_TITLE}” is shortlisted" in titles

    for context in (company_context, staff_context, member_context):
        context.close()
