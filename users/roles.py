"""Who someone is on Carnet, asked the same way everywhere: a member whose account is active,
and staff. Signed-out visitors and deactivated accounts are neither."""


def is_active_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    """An active account with the staff flag, or a superuser."""
    return is_active_member(user) and (user.is_staff or user.is_superuser)
