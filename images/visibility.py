"""Photos are as visible as what uses them (the media uses each app registers); one nothing
uses is seen by staff and its uploader (docs/media.md). Registered from ImagesConfig.ready()."""

from visibility.policy import MediaRule
from visibility.registry import register

from .models import CarnetImage

register(MediaRule(CarnetImage))
