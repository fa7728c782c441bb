from django.db import transaction

from .models import User


@transaction.atomic
def user_create(*, username: str, email: str, password: str, display_name: str = "") -> User:
    user = User(username=username, email=email, display_name=display_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_profile_update(*, user: User, skills=None, **fields) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    if skills is not None:
        user.skills.set(list(skills))
    return user
