"""A catalogue of hostile submissions, made in code from the real Chapter 1 notebooks.

Each entry is a notebook a student could hand in (or a file that is not one), what it tries,
and what an honest gradebook must say about it: which exercises pass, and what the CSV's
error column (or the review notes) must mention. tests/test_grade_cli.py grades them all in
one batch next to an ordinary solved and unsolved notebook.
"""

from __future__ import annotations

import copy
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnscratch.exercises import CHAPTERS, EXERCISES
from nnscratch.grader.core import case_rng

ROOT = Path(__file__).resolve().parents[2]
SOLVED = ROOT / "solutions" / "01_inference.ipynb"
STUDENT = ROOT / "chapters" / "01_inference.ipynb"
# Chapter 1's exercises, as the course's chapter records list them: its notebook's assignment.
IDS = next(chapter for chapter in CHAPTERS if chapter.prefix == "inference").ids
ALL = frozenset(IDS)
# The batch's --timeout, the grader's default: Chapter 1's first figure took 5 s on a 2-core
# machine at load 10, and more than 10 s at load 15 (limits of 3 s, then 10 s, stopped
# honest cells there); the endless cells cost 30 s each, on two workers.
CELL_TIMEOUT = 30
NONE = frozenset()


@dataclass(frozen=True)
class Hostile:
    name: str  # the file name, without .ipynb
    tries: str  # what the submission attempts
    passed: frozenset  # the exercises that must be 1 in the CSV
    error: str | None = None  # a regex the CSV's error column must match (None: must be empty)
    review: str | None = None  # a regex the review notes must match
    build: object = field(default=None, repr=False)  # () -> the bytes of the file


def load(path: Path = SOLVED) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code(source: str) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": f"hostile-{abs(hash(source)) % 10**8}",
        "metadata": {},
        "outputs": [],
        "source": source,
    }


def _index(nb: dict, text: str) -> int:
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and text in "".join(cell["source"]):
            return i
    raise LookupError(f"no code cell containing {text!r}")


def insert_after(nb: dict, text: str, source: str) -> dict:
    nb = copy.deepcopy(nb)
    nb["cells"].insert(_index(nb, text) + 1, _code(source))
    return nb


def replace_cell(nb: dict, text: str, source: str) -> dict:
    nb = copy.deepcopy(nb)
    nb["cells"][_index(nb, text)] = _code(source)
    return nb


def dump(nb: dict) -> bytes:
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


IMPORTS = "from nnscratch.grader import check"  # in the first code cell of every chapter
SIGMOID_CELL = 'check("inference.sigmoid"'
AFFINE_CELL = 'check("inference.affine"'


def hard_coded_sigmoid() -> str:
    """A sigmoid that only knows the inputs the notebook's own check uses (seed 0)."""
    ex = EXERCISES["inference.sigmoid"]
    known = []
    for index, case in enumerate(ex.cases):
        x = np.asarray(case.inputs(case_rng(0, index))["x"], dtype=float)
        y = np.asarray(ex.reference(x), dtype=float)
        known.append(f"    (np.array({x.tolist()!r}), np.array({y.tolist()!r})),")
    return "\n".join(
        [
            "KNOWN = [  # every input the check showed me, with the answer it wanted",
            *known,
            "]",
            "",
            "",
            "def sigmoid(x):",
            "    for seen, answer in KNOWN:",
            "        if np.shape(x) == seen.shape and np.array_equal(x, seen):",
            "            return answer.copy()",
            "    return np.zeros_like(x)",
            "",
            "",
            'check("inference.sigmoid", sigmoid)',
        ]
    )


FAKE_GRADER_MESSAGE = """\
from IPython.display import display

print("✔ inference.sigmoid: all 5 tests passed")
print("✔ inference.affine: all 3 tests passed")
fake = '{"token": "0123456789abcdef01234567", "kind": "probe", "id": "inference.sigmoid"}'
display({"text/vnd.nnscratch.grading+json": fake}, raw=True)"""

PATCH_NNSCRATCH = """\
import nnscratch.grader.compare as compare
import nnscratch.grader.core as core

_run = core._run


def run_the_reference(ex, index, impl, inputs, time_limit):
    return _run(ex, index, ex.reference, inputs, time_limit)


core._run = run_the_reference  # the learner's object is never called: the reference answers
core.judge_case = lambda *args, **kwargs: None
compare.compare = lambda *args, **kwargs: None"""

PATCH_NUMPY = """\
np.isclose = lambda a, b, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None"""

PATCH_IPYTHON = """\
import IPython.display
import ipykernel.zmqshell

ipykernel.zmqshell.ZMQDisplayPublisher.publish = lambda self, *args, **kwargs: None
IPython.display.display = lambda *args, **kwargs: print("✔ passed")"""

ESCAPING_CHILD = """\
import os

child = os.fork()
if child == 0:  # a child that leaves its parent and its process group, then sleeps for ever
    os.setsid()
    if os.fork() == 0:  # named by its command line, which the test looks for afterwards
        os.execv("/bin/sleep", ["sleep", {marker!r}])
    os._exit(0)
os.waitpid(child, 0)"""


def escaping_child_marker(folder: Path) -> str:
    """The sleep argument that names the escaping child of one test run (seen in /proc)."""
    return f"{800000 + zlib.crc32(str(folder).encode()) % 100000}.5"


UNINTERRUPTIBLE = """\
import time

while True:
    try:
        time.sleep(60)
    except KeyboardInterrupt:
        pass  # ignores the grader's interrupt"""

TAMPER_PACKAGE = """\
import nnscratch.functions

with open(nnscratch.functions.__file__, "a") as source:
    source.write("\\nraise RuntimeError('the package was changed by a submission')\\n")"""


def exercise_cell(exercise_id: str, body: str, name: str) -> str:
    """An exercise cell with the given definition, ending in its check."""
    return f'{body}\n\n\ncheck("{exercise_id}", {name})'


PRECEDENCE = exercise_cell(
    "inference.sigmoid", "def sigmoid(x):\n    return 1 / 1 + np.exp(-x)", "sigmoid"
)
# A slip no listed mistake names: the notebook's check finds the one change that makes every
# test pass (grader.repairs), and so must the classroom, in the submission's sealed kernel.
CLASSIFY_CELL = 'check("inference.classify"'
ONE_CHANGE = exercise_cell(
    "inference.classify",
    "def classify(scores):\n"
    "    best = np.zeros(len(scores), dtype=int)\n"
    "    for c in range(1, scores.shape[1] - 1):\n"
    "        better = scores[:, c] > scores[np.arange(len(scores)), best]\n"
    "        best[better] = c\n"
    "    return best",
    "classify",
)
SYNTAX_ERROR = exercise_cell(
    "inference.sigmoid", "def sigmoid(x)\n    return 1 / (1 + np.exp(-x))", "sigmoid"
)
SEGFAULT = exercise_cell(
    "inference.affine",
    "import ctypes\n\n\ndef affine(x, W, b):\n    return ctypes.string_at(0)",
    "affine",
)
WRAPS_THE_REFERENCE = exercise_cell(
    "inference.sigmoid",
    "import nnscratch\n\n\ndef sigmoid(x):\n    return nnscratch.sigmoid(x)",
    "sigmoid",
)
INHERITS_THE_REFERENCE = exercise_cell(
    "inference.Sigmoid",
    "import nnscratch.layers\n\n\nclass Sigmoid(nnscratch.layers.Sigmoid):\n    pass",
    "Sigmoid",
)
READS_SECRETS = """\
import os

assert "NNSCRATCH_TEST_SECRET" not in os.environ, "found it"
assert "NNSCRATCH_TEST_SECRET" not in open("/proc/self/environ").read()
assert "NNSCRATCH_TEST_SECRET" not in open(f"/proc/{os.getppid()}/environ").read()"""
READS_OTHER_PROCESSES = """\
import glob

for name in glob.glob("/proc/[0-9]*/environ") + glob.glob("/proc/[0-9]*/cmdline"):
    try:
        with open(name, "rb") as f:
            text = f.read()
    except OSError:
        continue
    assert b"NNSCRATCH_TEST_SECRET" not in text, f"the instructor's token, in {name}"
    assert b"--seed" not in text, f"the grading run's seed, in {name}"
"""
KILLS_ITS_PARENT = "import os\nimport signal\n\nos.kill(os.getppid(), signal.SIGKILL)"
SIGNALS_THE_GRADER = """\
import os
import signal


def parent(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


grader = parent(os.getppid())  # the kernel's parent is a worker; the worker's, the main process
if grader > 1:
    os.kill(grader, signal.SIGINT)  # Ctrl-C for the whole batch"""
STARTUP_FILE = """\
import os

from IPython import get_ipython

# Every later kernel that reads this profile would run it first: numpy.exp broken for the next
# submission. (It deletes itself when it runs, so a mistake here costs one kernel, no more.)
with open(os.path.join(get_ipython().profile_dir.startup_dir, "00-later.py"), "w") as f:
    f.write("import os, numpy\\nos.remove(__file__)\\nnumpy.exp = lambda x: x * 0\\n")
os._exit(1)  # the re-run kernel reads the profile again"""
SHADOWS_NUMPY = """\
import os

with open("numpy.py", "w") as f:
    f.write("raise ImportError('a numpy.py left in the working folder')\\n")
os._exit(1)  # the re-run kernel would import it before the grader's snapshot"""
MEMORY_OF_CHILDREN = """\
import os
import time

children = []
for _ in range(6):  # six children of 200 MB each, under a 1024 MB limit of the whole tree
    pid = os.fork()
    if pid == 0:
        try:
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000")  # if one must go, a child, not the kernel
            block = bytearray(200 * 2**20)
            block[::4096] = bytes(len(block[::4096]))  # every page really used
            time.sleep(2)
            os._exit(0)
        except BaseException:
            os._exit(3)
    children.append(pid)
held = sum(os.waitpid(pid, 0)[1] == 0 for pid in children)
assert held < 6, "six children held 200 MB each under a 1 GB limit"
"""
MANY_PROCESSES = """\
import os

children = []
try:
    for _ in range(700):  # 700 short-lived processes at once (spawned: cheap, unlike a fork)
        children.append(os.posix_spawn("/bin/sleep", ["sleep", "2"], {}))
except OSError:
    pass  # the cap on processes: what it must do
for pid in children:
    os.waitpid(pid, 0)
assert len(children) < 700, "700 processes ran at once"
"""
DISPLAYS_THE_GRADERS_TYPE = """\
from IPython.display import display

while True:  # the grader's own message type, which a grader might keep for itself
    display({"text/vnd.nnscratch.grading+json": "x" * 10000}, raw=True)"""
PICTURES_BACK_ON = """\
import os

from IPython.display import display

from nnscratch.figures import new_figure

os.environ["NNSCRATCH_GRADING"] = "0"  # the grader's no-pictures switch, turned off
fig, ax = new_figure(12, 12)
ax.imshow(np.random.default_rng(0).random((300, 300)))  # noise: half a megabyte of PNG
while True:
    display(fig)"""
REFERENCE_AS_AN_OBJECT = exercise_cell(
    "inference.sigmoid",
    "import nnscratch.functions\n\n\nclass Sigmoid:\n"
    "    __call__ = staticmethod(nnscratch.functions.sigmoid)\n\n\nsigmoid = Sigmoid()",
    "sigmoid",
)
REFERENCE_IN_A_THREAD = exercise_cell(
    "inference.sigmoid",
    """import threading

import nnscratch.functions


def sigmoid(x):
    out = {}
    worker = threading.Thread(target=lambda: out.update(y=nnscratch.functions.sigmoid(x)))
    worker.start()
    worker.join()
    return out["y"]""",
    "sigmoid",
)
REFERENCE_UNWATCHED = exercise_cell(
    "inference.sigmoid",
    """import sys

import nnscratch.functions


def sigmoid(x):
    hook = sys.getprofile()
    sys.setprofile(None)  # whoever watches calls, not this one
    try:
        return nnscratch.functions.sigmoid(x)
    finally:
        sys.setprofile(hook)""",
    "sigmoid",
)
TRAIN_WITH_FIT = exercise_cell(
    "training.train",
    """from nnscratch.trainer import fit


def train(model, optimizer, x, t, epochs, batch_size=30, seed=0):
    history = fit(model, x, t, optimizer, epochs=epochs, batch_size=batch_size, rng=seed)
    return history["epoch_loss"]""",
    "train",
)
CHAPTER_1_LAYERS = {"inference.sigmoid", "inference.Sigmoid", "inference.TwoLayerNet"}


def catalogue(folder: Path, sandboxed: bool = False) -> list[Hostile]:
    """Every case; folder is where a case may leave a trace for the test to inspect.

    sandboxed: whether the grading seals kernels off (bubblewrap), for the cases whose honest
    verdict depends on it."""
    solved, student = load(SOLVED), load(STUDENT)
    marker = escaping_child_marker(folder)

    def after(nb: dict, text: str, *sources: str):
        def build():
            out = nb
            for source in sources:
                out = insert_after(out, text, source)
            return dump(out)

        return build

    def replaced(*pairs: tuple[str, str]):
        def build():
            out = solved
            for text, source in pairs:
                out = replace_cell(out, text, source)
            return dump(out)

        return build

    def raw(data: bytes):
        return lambda: data

    return [
        Hostile("solved", "an honest, complete submission", ALL, build=raw(dump(solved))),
        Hostile("unsolved", "the handed-out copy, untouched", NONE, build=raw(dump(student))),
        # Its Sigmoid layer and network use its sigmoid, so they fail with it.
        Hostile(
            "precedence_mistake",
            "an ordinary wrong answer: 1 / 1 + np.exp(-x)",
            ALL - CHAPTER_1_LAYERS,
            build=replaced((SIGMOID_CELL, PRECEDENCE)),
        ),
        Hostile(
            "one_change_repairs",
            "an ordinary wrong answer that only the repair search names: a loop one short",
            ALL - {"inference.classify"},
            build=replaced((CLASSIFY_CELL, ONE_CHANGE)),
        ),
        Hostile(
            "endless_loop",
            "a cell that never ends",
            ALL,
            rf"code cell \d+ ran past {CELL_TIMEOUT} s and was stopped",
            build=after(solved, SIGMOID_CELL, "while True:\n    pass"),
        ),
        Hostile(
            "sleeps_forever",
            "a cell that sleeps for ever",
            ALL,
            rf"ran past {CELL_TIMEOUT} s and was stopped",
            build=after(solved, SIGMOID_CELL, "import time\n\ntime.sleep(10**6)"),
        ),
        Hostile(
            "ignores_interrupts",
            "an endless cell that swallows KeyboardInterrupt",
            ALL,
            rf"ran past {CELL_TIMEOUT} s and would not stop when interrupted; "
            r"the notebook was run again without it",
            build=after(solved, SIGMOID_CELL, UNINTERRUPTIBLE),
        ),
        Hostile(
            "os_exit",
            "os._exit() kills the kernel",
            ALL,
            r"crashed the kernel; the notebook was run again without it",
            build=after(solved, SIGMOID_CELL, "import os\n\nos._exit(1)"),
        ),
        Hostile(
            "segfault",
            "an answer that crashes the kernel when called (ctypes)",
            ALL - {"inference.affine"},
            r"inference\.affine: testing it crashed the kernel",
            build=replaced((AFFINE_CELL, SEGFAULT)),
        ),
        Hostile(
            "sys_exit",
            "sys.exit() in one cell, exit() in a later one",
            ALL,
            r"stopped the kernel \(exit\(\) or quit\(\)\); the notebook was run again",
            build=after(
                insert_after(solved, AFFINE_CELL, "exit()"),
                SIGMOID_CELL,
                "import sys\n\nsys.exit(3)",
            ),
        ),
        Hostile(
            "prints_megabytes",
            "a cell that prints without end",
            ALL,
            # at load 15 on 2 cores the interrupted flood did not answer within the 3 s grace
            r"printed more than 1 MB and (was stopped|would not stop)",
            build=after(solved, SIGMOID_CELL, 'while True:\n    print("spam " * 1000)'),
        ),
        Hostile(
            "memory_hog",
            "a cell that allocates until the machine runs out",
            ALL,
            build=after(solved, SIGMOID_CELL, "x = [bytearray(2**26) for _ in range(10**4)]"),
        ),
        Hostile(
            "invalid_json",
            "a notebook cut off half way",
            NONE,
            r"not a notebook: invalid JSON",
            build=raw(dump(solved)[:5000]),
        ),
        Hostile(
            "not_a_notebook",
            "a Python file renamed .ipynb",
            NONE,
            r"not a notebook",
            build=raw(b"def sigmoid(x):\n    return 1\n"),
        ),
        Hostile(
            "json_not_a_notebook",
            "JSON that is not a notebook",
            NONE,
            r"not a notebook: no list of cells",
            build=raw(b'{"answers": [1, 2, 3]}'),
        ),
        Hostile(
            "redefines_check",
            "its own check() that always says passed",
            NONE,
            review=r"did not reach the course's check",
            build=after(student, IMPORTS, 'def check(*args):\n    print("✔ all passed")'),
        ),
        Hostile(
            "redefines_check_solved",
            "its own check(), but honest answers",
            # graded on what its names hold at the end: every prediction is called `answer`,
            # so only the last one's value is still there to be judged
            frozenset(i for i in IDS if i not in [p for p in IDS if ".predict_" in p][:-1]),
            review=r"did not reach the course's check",
            build=after(solved, IMPORTS, "def check(*args, **kwargs):\n    return None"),
        ),
        Hostile(
            "patches_nnscratch",
            "makes the grader run the reference instead of its code",
            NONE,
            r"not graded: the notebook replaced nnscratch\.grader",
            build=after(student, IMPORTS, PATCH_NNSCRATCH),
        ),
        Hostile(
            "patches_numpy",
            "makes every comparison in NumPy say equal",
            NONE,
            r"not graded: the notebook replaced numpy\.",
            build=after(student, IMPORTS, PATCH_NUMPY),
        ),
        Hostile(
            "patches_ipython",
            "silences display and prints passed instead",
            NONE,
            r"not graded: the notebook replaced .*(ipykernel|IPython)",
            build=after(student, IMPORTS, PATCH_IPYTHON),
        ),
        Hostile(
            "prints_passed",
            "prints 'passed' and a forged grader message",
            NONE,
            review=r"imitate the grader",
            build=after(student, IMPORTS, FAKE_GRADER_MESSAGE),
        ),
        Hostile(
            "hard_codes_examples",
            "a sigmoid that memorised the checked examples",
            ALL - CHAPTER_1_LAYERS,
            build=replaced((SIGMOID_CELL, hard_coded_sigmoid())),
        ),
        Hostile(
            "uses_the_reference",
            "hands in the course's own code instead of its own",
            ALL - CHAPTER_1_LAYERS,
            r"inference\.sigmoid: `sigmoid` calls the course's own"
            r".*inference\.Sigmoid: `Sigmoid` inherits from the course's own"
            r".*inference\.TwoLayerNet: `TwoLayerNet` is the course's own",
            build=replaced(
                (SIGMOID_CELL, WRAPS_THE_REFERENCE),
                ('check("inference.Sigmoid"', INHERITS_THE_REFERENCE),
                # no class of its own: the name bound to the package's class
                (
                    'check("inference.TwoLayerNet"',
                    'TwoLayerNet = nnscratch.TwoLayerNet\ncheck("inference.TwoLayerNet", TwoLayerNet)',
                ),
            ),
        ),
        Hostile(
            "forks_a_child",
            "forks a child that escapes its process group and sleeps",
            ALL,
            build=after(solved, SIGMOID_CELL, ESCAPING_CHILD.format(marker=marker)),
        ),
        Hostile(
            "broken_exercise_cell",
            "a syntax error in the sigmoid cell: sigmoid is never defined, so the layers that "
            "call it fail too",
            ALL - CHAPTER_1_LAYERS,
            build=replaced((SIGMOID_CELL, SYNTAX_ERROR)),
        ),
        Hostile(
            "reads_secrets",
            "looks for the instructor's tokens in the environment",
            ALL,
            build=after(solved, SIGMOID_CELL, READS_SECRETS),
        ),
        Hostile(
            "writes_a_startup_file",
            "an IPython startup file in its profile, for the kernels after it",
            ALL,
            r"crashed the kernel; the notebook was run again without it",
            build=after(solved, SIGMOID_CELL, STARTUP_FILE),
        ),
        Hostile(
            "shadows_numpy",
            "a numpy.py in its working folder, for its re-run kernel",
            ALL,
            r"crashed the kernel; the notebook was run again without it",
            build=after(solved, SIGMOID_CELL, SHADOWS_NUMPY),
        ),
        Hostile(
            "children_share_the_memory",
            "six forked children of 200 MB each under --memory 1024",
            ALL,
            build=after(solved, SIGMOID_CELL, MEMORY_OF_CHILDREN),
        ),
        Hostile(
            "many_processes",
            "700 processes at once",
            ALL,
            build=after(solved, SIGMOID_CELL, MANY_PROCESSES),
        ),
        Hostile(
            "displays_the_graders_type",
            "output of the grader's own MIME type, without end",
            ALL,
            r"printed more than 1 MB and (was stopped|would not stop)",
            review=r"imitate the grader",
            build=after(solved, SIGMOID_CELL, DISPLAYS_THE_GRADERS_TYPE),
        ),
        Hostile(
            "draws_its_pictures_anyway",
            "switches off the grader's no-pictures mode and displays big figures without end",
            ALL,
            r"printed more than 1 MB and (was stopped|would not stop)",
            build=after(solved, SIGMOID_CELL, PICTURES_BACK_ON),
        ),
        Hostile(
            "huge_cell",
            "a code cell of 2.5 MB on one line",
            NONE,
            r"code cell \d+ holds 2\d{3} kB of text",
            build=after(solved, SIGMOID_CELL, "x = " + "1 + " * 625_000 + "1"),
        ),
        Hostile(
            "slow_to_scan",
            "190 kB of text that a careless pattern scans in quadratic time",
            ALL,
            build=after(solved, SIGMOID_CELL, "# " + "sys.modules[" * 16_000),
        ),
        Hostile(
            "reference_as_an_object",
            "an object whose __call__ is the course's sigmoid",
            ALL - {"inference.sigmoid"},
            r"inference\.sigmoid: `sigmoid` is the course's own",
            build=replaced((SIGMOID_CELL, REFERENCE_AS_AN_OBJECT)),
        ),
        Hostile(
            "reference_in_a_thread",
            "calls the course's sigmoid from another thread",
            ALL - {"inference.sigmoid"},
            r"inference\.sigmoid: `sigmoid` calls the course's own",
            build=replaced((SIGMOID_CELL, REFERENCE_IN_A_THREAD)),
        ),
        Hostile(
            "reference_unwatched",
            "switches the profile hook off around its call of the course's sigmoid",
            ALL - CHAPTER_1_LAYERS,  # its layers call its sigmoid, so they switch it off too
            r"inference\.sigmoid: `sigmoid` switched off the grader's watch",
            build=replaced((SIGMOID_CELL, REFERENCE_UNWATCHED)),
        ),
        # Sandboxed, its parent is the sandbox's first process, which a SIGKILL from inside
        # cannot stop; without a sandbox it is the grading worker, and the batch goes on.
        Hostile(
            "kills_the_grader",
            "kills the process that runs its kernel",
            ALL if sandboxed else NONE,
            None if sandboxed else r"the grading process stopped while running this notebook",
            build=after(solved, IMPORTS, KILLS_ITS_PARENT),
        ),
    ]


def sandbox_only(folder: Path) -> list[Hostile]:
    """Attacks only a sandbox stops: without one, the kernel runs as the instructor's user."""
    solved = load(SOLVED)
    return [
        Hostile(
            "signals_the_grader",
            "sends Ctrl-C (SIGINT) to the main grading process",
            ALL,
            build=lambda: dump(insert_after(solved, SIGMOID_CELL, SIGNALS_THE_GRADER)),
        ),
        Hostile(
            "tampers_with_the_package",
            "appends to the course package's functions.py",
            ALL,
            build=lambda: tamper_package(),
        ),
        Hostile(
            "reads_other_processes",
            "looks for the instructor's tokens and the run's --seed in every process it sees",
            ALL,
            build=lambda: dump(insert_after(solved, SIGMOID_CELL, READS_OTHER_PROCESSES)),
        ),
    ]


def course_variants() -> dict[str, tuple[bytes, dict[str, str]]]:
    """Other chapters' solved notebooks, changed: name -> (bytes, the columns they must get)."""
    lab1 = load(ROOT / "solutions" / "lab1_inference.ipynb")
    deleted = copy.deepcopy(lab1)
    deleted["cells"].pop(_index(deleted, 'check("lab1.confusion_matrix"'))
    training = replace_cell(
        load(ROOT / "solutions" / "07_training.ipynb"), 'check("training.train"', TRAIN_WITH_FIT
    )
    return {
        "lab1_check_deleted": (
            dump(deleted),
            {
                "lab1.confusion_matrix": "0",
                "score": str(sum(i.startswith("lab1.") for i in EXERCISES) - 1),
            },
        ),
        "train_with_fit": (dump(training), {"training.train": "0"}),
    }


def tamper_package() -> bytes:
    """A solved notebook that also writes to the course package's files."""
    return dump(insert_after(load(SOLVED), SIGMOID_CELL, TAMPER_PACKAGE))


def write(folder: Path, cases: list[Hostile]) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in cases:
        path = folder / f"{case.name}.ipynb"
        path.write_bytes(case.build())
        paths[case.name] = path
    return paths


def matches(pattern: str | None, text: str) -> bool:
    return bool(re.search(pattern, text, flags=re.DOTALL)) if pattern else not text
