"""The README stays true: the two commands on its first screen, a generated CLI reference, real figures."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import CORPUS_DEV, ROOT

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


# ---- the outputs the README shows are what the commands print ------------------------------------
def _console_examples() -> list[tuple[list[str], str]]:
    """(kg arguments, expected output) for every ```console block of the README that runs `kg`."""
    import shlex

    examples = []
    for block in README.split("```console\n")[1:]:
        body = block.split("```", 1)[0]
        lines = body.splitlines()
        command = [lines[0][2:]]
        i = 1
        while "".join(command).count("'") % 2:  # a quoted SPARQL that runs over several lines
            command.append(lines[i])
            i += 1
        args = shlex.split("\n".join(command))
        assert args[0] == ".venv/bin/kg", args
        examples.append((args[1:], "\n".join(lines[i:])))
    return examples


@pytest.fixture(scope="module")
def readme_store(tmp_path_factory) -> str:
    from click.testing import CliRunner

    from kg.cli import main

    location = str(tmp_path_factory.mktemp("readme") / "store")
    result = CliRunner().invoke(main, ["build", "--store", location, "--no-exports"])
    assert result.exit_code == 0, result.output
    return location


def test_readme_shows_real_outputs(readme_store):
    from click.testing import CliRunner

    from kg.cli import main

    examples = _console_examples()
    assert len(examples) >= 4
    for args, expected in examples:
        if args[0] == "eval":
            if "../shared" in args[1] and not CORPUS_DEV.exists():
                continue  # the dev corpus is read in place; without ../shared there is nothing to score
            args = [a.replace("../shared/corpus/dev", str(CORPUS_DEV)) for a in args]
            args = [str(ROOT / a) if a.startswith("tests/") else a for a in args]
        else:
            args = [*args, "--store", readme_store]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert result.stdout.rstrip() == expected.rstrip(), " ".join(args)
