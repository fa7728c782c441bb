"""The links `make demo` and `simulate_machine_job` print, and those in e-mails, follow the
address the demo actually serves (DEMO_ADDRESS), not a fixed :8000."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings

from machines.management.commands.simulate_machine_job import Command as SimulateJob


def test_the_dev_settings_take_the_sites_address_from_demo_address():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "docs_platform.settings.dev",
        "DEMO_ADDRESS": "127.0.0.1:8001",
    }
    environment.pop("WAGTAILADMIN_BASE_URL", None)
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)",
        ],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert printed == "http://127.0.0.1:8001"


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8001")
def test_a_simulated_job_goes_to_the_sites_address_by_default():
    parser = SimulateJob().create_parser("manage.py", "simulate_machine_job")
    assert parser.parse_args(["trotec-speedy-300"]).base_url == "http://127.0.0.1:8001"
