"""Every file of demo/content/ reads and names only what exists, and a mistake in a file is an
error naming that file, before anything is written."""

import shutil
from pathlib import Path

import pytest

from demo.reader import CONTENT_DIR, DemoContentError, read_content

SMALL = Path(__file__).parent / "content"


def test_every_demo_file_is_read_and_refers_to_existing_members_machines_and_tribes():
    content = read_content()  # raises on any unknown name

    def files(folder: str) -> int:
        return len(list((CONTENT_DIR / folder).glob("*.md")))

    assert len(content.members) == files("members") >= 10
    assert len(content.projects) == files("projects") >= 14
    assert len(content.tribes) == files("tribes") >= 2
    assert len(content.calls) == files("calls") >= 3
    assert len(content.showcases) == files("showcases") >= 2
    assert all(project.journal for project in content.projects)
    assert sum(len(project.journal) for project in content.projects) >= 100


@pytest.fixture
def small(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(SMALL, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "projects/01-boite.md",
            'owner = "camille.lefebvre"',
            'owner = "camile.lefebvre"',
            "no member 'camile.lefebvre'",
        ),
        ("projects/01-boite.md", "owner =", "ownr =", "'owner' is missing .misspelt 'ownr'"),
        ("projects/01-boite.md", 'kind = "trial"', 'kind = "trail"', "'kind' is 'trail'"),
        (
            "projects/01-boite.md",
            'machine = "trotec-speedy-300"',
            'machine = "trotec"',
            "no machine 'trotec'",
        ),
        ("projects/01-boite.md", "# Méthodologie", "# Methodologie", "unknown section"),
        ("projects/01-boite.md", "same_session = true", "same_session = oui", "not valid TOML"),
        ("projects/01-boite.md", "cost = 12.50", 'cost = "12,50"', "'cost' should be a number"),
        ("projects/02-carnet.md", "+++\n\n# Journal", "+++\nUne ligne\n# Journal", "text before"),
        ("tribes/01-la-machinerie.md", '"camille.lefebvre"', '"camille"', "no member 'camille'"),
        ("machines.toml", 'lab = "La Machinerie"', 'lab = "Machinerie"', "no tribe 'Machinerie'"),
        ("members/02-camille.lefebvre.md", "joined_days_ago = 320\n", "", "'joined_days_ago'"),
    ],
)
def test_a_mistake_is_an_error_naming_the_file(small, file, old, new, message):
    edit(small / file, old, new)

    with pytest.raises(DemoContentError, match=message) as raised:
        read_content(small)

    assert raised.value.path == small / file
    assert file.split("/")[-1] in str(raised.value)


def test_a_journal_author_must_be_the_owner_or_a_collaborator(small):
    edit(small / "projects/01-boite.md", 'kind = "failure"', 'kind = "failure"\nauthor = "admin"')

    with pytest.raises(DemoContentError, match="neither the project's owner"):
        read_content(small)


def test_a_remix_comes_after_its_original(small):
    edit(
        small / "projects/01-boite.md",
        'photo_theme = "laser"',
        'photo_theme = "laser"\nremixed_from = "Carnet de croquis"',
    )

    with pytest.raises(DemoContentError, match="an original comes before its remixes"):
        read_content(small)
