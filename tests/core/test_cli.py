import subprocess
import sys

from typer.testing import CliRunner

from suanli.cli import app


def test_help_lists_commands():
    r = CliRunner().invoke(app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("build", "validate", "schema", "capacity"):
        assert cmd in r.output


def test_the_root_lists_each_group_with_its_own_help():
    """The root builds a command group only when it is named (``cli.GROUPS``); its help lists each
    group with the one-line help the group's module gives its ``app``, and a named group is the
    group that module builds, with all its commands."""
    import importlib

    import typer

    from suanli.cli import GROUPS

    root = typer.main.get_command(app)
    for name, (module, help_) in GROUPS.items():
        group = importlib.import_module(module).app
        assert group.info.help == help_, name
        built = root.get_command(None, name)  # type: ignore[arg-type]
        assert built is not None and built.name == name
        assert set(built.commands) == {c.name or c.callback.__name__.replace("_", "-")
                                       for c in group.registered_commands} | {g.name for g in group.registered_groups}
    r = CliRunner().invoke(app, ["--help"])
    for name, (_, help_) in GROUPS.items():
        assert f"  {name} " in r.output and help_[:30] in r.output


def test_help_builds_no_command_group():
    """``suanli --help`` and ``suanli build --help`` leave every domain group unbuilt and unimported."""
    r = subprocess.run([sys.executable, "-c",
                        "import sys, json\n"
                        "from suanli.cli import main\n"
                        "for argv in (['suanli', '--help'], ['suanli', 'build', '--help']):\n"
                        "    sys.argv = argv\n"
                        "    try:\n"
                        "        main()\n"
                        "    except SystemExit:\n"
                        "        pass\n"
                        "print(json.dumps(sorted(m for m in sys.modules if m.endswith('.cli'))), file=sys.stderr)"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    import json

    loaded = set(json.loads(r.stderr.strip().splitlines()[-1]))
    assert loaded == {"suanli.cli", "suanli.web.cli"}, loaded


def test_python_m_suanli(suanli_cmd):
    r = subprocess.run([*suanli_cmd, "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "build" in r.stdout
    v = subprocess.run([*suanli_cmd, "--version"], capture_output=True, text=True)
    assert v.returncode == 0 and v.stdout.startswith("suanli ")


def test_bad_edition_path_is_clear(suanli_cmd, tmp_path):
    r = subprocess.run([*suanli_cmd, "build", str(tmp_path / "missing"), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "edition file not found" in r.stderr


def test_bad_lang(suanli_cmd, tmp_path):
    r = subprocess.run([*suanli_cmd, "build", "--lang", "fr", "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode != 0 and "unknown language" in (r.stderr + r.stdout)


def test_bad_format_names_the_kinds(tmp_path):
    r = CliRunner().invoke(app, ["build", "--formats", "html,svg", "--out", str(tmp_path / "o")])
    assert r.exit_code != 0 and not (tmp_path / "o").exists()
    text = " ".join(r.output.split()).replace("│", "")
    assert "unknown report format" in text and "figures" in text
