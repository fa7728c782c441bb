"""Files are as visible as what uses them (a project's files follow the project); one nothing
uses is seen by staff and its uploader (docs/media.md). Registered from DocumentsConfig.ready()."""

from visibility.policy import MediaRule
from visibility.registry import register

from .models import CarnetDocument

register(MediaRule(CarnetDocument))
