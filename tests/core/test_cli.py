import subprocess

from typer.testing import CliRunner

from suanli.cli import app


def test_help_lists_commands():
    r = CliRunner().invoke(app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("build", "validate", "schema", "capacity"):
        assert cmd in r.output


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
