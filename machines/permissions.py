"""Who may run a machine's settings, and which secrets open its doors.
Who may *see* a job's project or member is decided by their apps' visibility.py."""

import hmac

from django.db.models import QuerySet

from core.tokens import secret_matches
from tribes.permissions import tribes_managed_by, user_is_tribe_admin
from users.roles import is_active_member, is_staff

from .models import Machine, MachineJob


def event_token_is_valid(machine: Machine, token: str) -> bool:
    return secret_matches(machine.token_digest, token)


def kiosk_token_is_valid(machine: Machine, token: str) -> bool:
    if not machine.kiosk_token or not token:
        return False
    return hmac.compare_digest(machine.kiosk_token, token)


def can_manage_machine(user, machine: Machine) -> bool:
    """Staff, and the admins of the machine's lab."""
    if is_staff(user):
        return True
    return machine.tribe_id is not None and user_is_tribe_admin(user, machine.tribe)


def can_add_machine(user) -> bool:
    return is_staff(user) or tribes_managed_by(user).exists()


def machines_managed_by(user) -> QuerySet[Machine]:
    if is_staff(user):
        return Machine.objects.all()
    return Machine.objects.filter(tribe__in=tribes_managed_by(user).values("pk"))


def can_act_on_job(user, job: MachineJob) -> bool:
    """The member who runs the job logs and debriefs it; an unclaimed job is anyone's to claim."""
    if not is_active_member(user):
        return False
    return job.member_id is None or job.member_id == user.pk
