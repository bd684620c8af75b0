"""The README stays true: the two commands on its first screen, a generated CLI reference, real figures."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_first_screen_has_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:40])
    assert "make run" in first_screen and "make test" in first_screen


def test_cli_reference_matches_the_commands_help():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_command_is_in_the_reference():
    import click

    from kg.cli import main

    for name in main.list_commands(click.Context(main)):
        assert f"### `kg {name}`" in README, name


def test_screenshots_the_readme_shows_exist():
    for image in ("docs/img/overview.png", "docs/img/statements.png"):
        assert image in README
        assert (ROOT / image).stat().st_size > 10_000, image
