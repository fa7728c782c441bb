"""Signing up on a phone, in French: a name with an accent and a space, no e-mail address, one
password rule; a mistake sends nothing back to retype."""

import pytest
from playwright.sync_api import expect

from users.models import User

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_a_new_member_signs_up_on_a_phone_without_retyping_anything(orm, live_url, browser):
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_url}/accounts/signup/")
    expect(page.get_by_text("Au moins 8 caractères.")).to_have_count(1)

    page.get_by_label("Votre nom").fill("Léa Martin")
    page.get_by_label("Choisissez un mot de passe").fill("contreplaqué peuplier")
    page.get_by_label("Le même mot de passe, une seconde fois").fill("contreplaqué peuplie")
    page.get_by_role("button", name="S'inscrire").click()

    expect(page.get_by_text("Les deux mots de passe sont différents")).to_be_visible()
    expect(page.get_by_label("Votre nom")).to_have_value("Léa Martin")
    expect(page.get_by_label("Choisissez un mot de passe")).to_have_value("contreplaqué peuplier")
    # Only the wrong one is corrected.
    page.get_by_label("Le même mot de passe, une seconde fois").fill("contreplaqué peuplier")
    page.get_by_role("button", name="S'inscrire").click()

    expect(page.get_by_text("votre nom d'utilisateur est lea-martin")).to_be_visible()
    member = orm(User.objects.get, username="lea-martin")
    assert (member.display_name, member.email, member.language) == ("Léa Martin", "", "fr")
    context.close()
