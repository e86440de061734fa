"""A private JupyterLab server for the browser tests, and the Chromium that visits it.

Everything the server, its kernels and the browser write (settings, workspaces, caches, the
notebooks they run) goes to one temporary folder, so a test run leaves nothing behind and
never saves outputs into the repository's notebooks.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Flags for a headless run as root on a machine with a closed network: without the
# background-networking ones, Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Settings a fresh JupyterLab would otherwise ask about or act on: a news prompt in every
# screenshot, and autosave (harmless here, since the notebooks are copies, but pointless).
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}

PRIVATE_DIRS = (
    "HOME",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "IPYTHONDIR",
    "MPLCONFIGDIR",
)


def find_chromium() -> str | None:
    """Path of a Chromium to drive: $NNSCRATCH_CHROMIUM when set, else Debian's `chromium`."""
    chosen = os.environ.get("NNSCRATCH_CHROMIUM")
    if chosen:
        return shutil.which(chosen)
    return shutil.which("chromium") or shutil.which("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# window.jupyterapp lets the test run the front end's own commands ("Run All Cells") and read
# the notebook's model instead of guessing from the page's pixels.
EXPOSE_APP = {
    "lab": "--LabApp.expose_app_in_browser=True",
    "notebook": "--JupyterNotebookApp.expose_app_in_browser=True",
}


class JupyterServer:
    """`jupyter lab` (or `jupyter notebook`, Notebook 7) on a loopback port with a random token,
    serving copies of the notebooks.

    Lab and Notebook 7 get a server each, as a learner would start them: one server serving
    both mixes up their same-named font files (jupyter_server caches static files by name
    only), and the second front end then fails to load its fonts.
    """

    def __init__(
        self, repo: Path, scratch: Path, app: str = "lab", folders=("chapters", "labs", "solutions")
    ):
        self.app = app
        self.scratch = scratch
        self.root = scratch / "course"
        for folder in folders:
            if (repo / folder).is_dir():
                shutil.copytree(
                    repo / folder,
                    self.root / folder,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
                )
        self.env = {k: v for k, v in os.environ.items() if k != "NNSCRATCH_STRICT"}
        for name in PRIVATE_DIRS:
            path = scratch / name.lower()
            path.mkdir(parents=True, exist_ok=True)
            self.env[name] = str(path)
        settings = Path(self.env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings"
        for plugin, values in USER_SETTINGS.items():
            file = settings / f"{plugin}.jupyterlab-settings"
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(values), encoding="utf-8")
        self.port, self.token = free_port(), secrets.token_hex(24)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = scratch / f"jupyter-{app}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        command = [
            sys.executable,
            "-m",
            "jupyter",
            self.app,
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            EXPOSE_APP[self.app],
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited at start:\n{self.log_tail()}")
            try:
                self.api("status")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.base}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def url(self, path: str) -> str:
        return f"{self.base}/{path}?token={self.token}"

    def shut_down_kernels(self) -> None:
        """Free the CPU for the next notebook (the machine may have only two cores)."""
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            try:
                self.shut_down_kernels()  # quicker than the server's own shutdown of them
            except OSError:
                pass
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def launch_chromium(playwright, executable: str, profile: Path):
    """A headless Chromium with a fresh profile (user-data dir), as one browser context."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
        device_scale_factor=1,
    )
