"""Every picture the notebooks show carries a text alternative a screen reader can read.

Each solved notebook is executed in a real kernel (nbclient, as Jupyter would run it), then
every output holding an image is inspected:

* a still figure (a matplotlib Figure from nnscratch.figures) must carry its description
  twice: as the PNG's `alt` metadata, which nbconvert's HTML writes into <img alt=...>, and as
  the bundle's `text/plain`, which text-only front ends show instead of the picture;
* a live figure (a widget, with its still PNG beside it) must carry a `text/plain` line
  (what that line says is the live figures' business);
* no image may fall back on Python's default repr ("<Figure size 640x480 with 1 Axes>").

The descriptions are checked to be more than a title: a few words at least.
"""

import re

import nbformat
import pytest
from nbclient import NotebookClient

from tests.notebook_tools import ROOT

NOTEBOOKS = sorted((ROOT / "solutions").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DEFAULT_REPR = re.compile(r"^<.* at 0x[0-9a-f]+>$|^<Figure size .*>$")


def image_outputs(nb):
    for number, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if any(mime.startswith("image/") for mime in output.get("data", {})):
                yield number, output


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.name)
def executed(request):
    nb = nbformat.read(request.param, as_version=4)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(request.param.parent)}},
    ).execute()
    return request.param.name, nb


def test_every_image_has_a_text_alternative(executed):
    name, nb = executed
    images = list(image_outputs(nb))
    assert images, f"{name} shows no image: is the test looking at the right notebooks?"
    for number, output in images:
        data, metadata = output["data"], output.get("metadata", {})
        text = data.get("text/plain", "")
        text = "".join(text) if isinstance(text, list) else text
        where = f"{name}, cell {number}"
        assert text.strip() and not DEFAULT_REPR.match(text.strip()), (
            f"{where}: no text/plain ({text!r})"
        )
        if WIDGET_VIEW in data:
            continue
        alt = metadata.get("image/png", {}).get("alt", "")
        assert alt == text, (
            f"{where}: the PNG's alt metadata {alt!r} differs from text/plain {text!r}"
        )
        assert len(alt.split()) >= 6, f"{where}: the description is too short to help: {alt!r}"


def test_nbconvert_writes_the_descriptions_into_img_alt(executed):
    from nbconvert import HTMLExporter

    name, nb = executed
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    missing = re.findall(r"<img(?![^>]*\balt=)[^>]*>", html)
    assert not missing, f"{name}: {len(missing)} <img> without alt in nbconvert's HTML"
