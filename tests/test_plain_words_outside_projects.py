"""The forms of accounts, members and machines speak plain words: no "---------" empty choice,
no "UID", no "name: value" syntax, no list of password rules."""

import pytest
from django.utils import translation

from machines import forms as machine_forms
from members.forms import ContactForm
from users import forms as user_forms
from users.factories import UserFactory

JARGON = ("---------", "UID", "« nom : valeur »", '"name: value"', "can’t be entirely numeric")


@pytest.fixture
def forms_outside_projects(db):
    member = UserFactory()
    staff = UserFactory(staff=True)
    return {
        "sign-up": user_forms.SignupForm(),
        "login": user_forms.LoginForm(),
        "new password": user_forms.NewPasswordForm(member),
        "profile": user_forms.ProfileForm(instance=member),
        "contact": ContactForm(),
        "machine (staff)": machine_forms.MachineForm(user=staff),
        "machine (tribe admin)": machine_forms.MachineForm(user=member),
        "quick log": machine_forms.QuickLogForm(user=member),
        "debrief": machine_forms.DebriefForm(user=member),
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_jargon_in_the_forms(forms_outside_projects, language):
    with translation.override(language):
        for name, form in forms_outside_projects.items():
            html = str(form)
            found = [word for word in JARGON if word in html]
            assert found == [], f"{name} ({language}): {found}"
