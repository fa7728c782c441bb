"""Rewrite photos stored before uploads were cleaned (docs/media.md): originals and avatars lose
their location and other metadata, renditions are deleted and made again from the clean
original. Safe to run again: clean photos are left as they are."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from core.image_files import StoredImageOutcome
from images.services import image_clean_stored
from users.services import user_avatar_clean_stored


class Command(BaseCommand):
    help = (
        "Rewrite stored photos and avatars without location or other metadata, upright, "
        "and delete the renditions of those rewritten. Idempotent."
    )

    def handle(self, *args, **options):
        counts = Counter()
        for image in get_image_model().objects.order_by("pk").iterator():
            outcome = image_clean_stored(image=image)
            counts[outcome] += 1
            self._report(outcome, f"image {image.pk} ({image.file.name})")
        for user in get_user_model().objects.exclude(avatar="").order_by("pk").iterator():
            outcome = user_avatar_clean_stored(user=user)
            counts[outcome] += 1
            self._report(outcome, f"avatar of {user.username} ({user.avatar.name})")
        summary = ", ".join(f"{counts[outcome]} {outcome}" for outcome in StoredImageOutcome)
        self.stdout.write(f"Stored photos: {summary}.")

    def _report(self, outcome: StoredImageOutcome, what: str) -> None:
        if outcome is StoredImageOutcome.CLEANED:
            self.stdout.write(f"Cleaned {what}.", self.style.SUCCESS)
        elif outcome is StoredImageOutcome.UNREADABLE:
            self.stdout.write(
                f"Left {what}: not a photo Carnet can show; pages show no picture for it. "
                "Replace or delete it.",
                self.style.WARNING,
            )
        elif outcome is StoredImageOutcome.MISSING:
            self.stdout.write(f"Left {what}: the file is missing from storage.", self.style.WARNING)
