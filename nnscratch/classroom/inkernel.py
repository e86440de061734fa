"""What the classroom grader runs inside a submission's kernel. Nothing here decides a grade.

setup() runs before the learner's first cell. It turns `check` into a recorder (the notebook's
own checks neither run nor print; each remembers the object it was given), keeps private copies
of the exercise table's cases, and takes a snapshot of the modules grading relies on.

probe(...) runs after the learner's last cell. It calls the learner's object on each case's
inputs (drawn from the grading run's seed) and sends back, as plain data: the outputs, and facts
the grading process judges - which attributes of numpy, IPython or nnscratch the notebook
replaced, and whether the object is (or calls) the course's own reference.

repair(...) runs where the grading process found failing tests and no hint for them: the
notebook's own search for one change to the learner's code that makes every test pass
(nnscratch.grader.repairs). It sends the change and the changed code's outputs; the grading
process judges those outputs itself before it says the change.

Both send their answer as one display message of type MIME, tagged with a token that appears
only in the grader's request, so text the notebook prints can never pass for an answer.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import os
import sys
import sysconfig
import types

from nnscratch.i18n import N_, _

MIME = "text/vnd.nnscratch.grading+json"

# Modules whose attributes must look the same when grading as before the learner's first cell:
# packages with all their modules, and single modules. Outside nnscratch, private names (one
# leading underscore) are left out: libraries replace some of their own at run time.
WATCHED = (
    "nnscratch",
    "numpy",
    "IPython",
    "ipykernel",
    "jupyter_client",
    "comm",
    "zmq.sugar",
    "builtins",
    "copy",
    "json",
    "math",
    "signal",
    "warnings",
    "traceback",
    "inspect",
    "types",
    "functools",
    "base64",
    "dataclasses",
    "re",
    "linecache",
    "operator",
)
# Names that change on their own while a kernel runs.
VOLATILE = {"__warningregistry__", "__loader__", "__spec__", "__cached__", "_", "__", "___"}

_state: dict = {}


def _ident(value):
    """What must stay the same: the object; for a function also its code, defaults, closure."""
    if isinstance(value, types.MethodType):
        return ("method", id(value.__func__), id(value.__self__))
    if isinstance(value, types.FunctionType):
        cells = []
        for cell in value.__closure__ or ():
            try:
                cells.append(id(cell.cell_contents))
            except ValueError:  # an empty cell
                cells.append(None)
        return (
            "function",
            id(value),
            id(value.__code__),
            id(value.__defaults__),
            id(value.__kwdefaults__),
            tuple(cells),
        )
    if isinstance(value, (staticmethod, classmethod)):
        return ("wrapper", id(value), _ident(value.__func__))
    if isinstance(value, property):
        return ("property", id(value), _ident(value.fget), _ident(value.fset))
    return ("object", id(value))


def _watched_modules() -> dict:
    return {
        name: module
        for name, module in list(sys.modules.items())
        if isinstance(module, types.ModuleType)
        and any(name == w or name.startswith(w + ".") for w in WATCHED)
    }


def _kept(modname: str, name: str) -> bool:
    if name in VOLATILE:
        return False
    private = name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
    return not private or modname == "nnscratch" or modname.startswith("nnscratch.")


def _namespace(place):
    """A module's or a class's attributes, as a plain dict."""
    try:
        return dict(vars(place))
    except TypeError:
        return {}


def _module_snapshot(modules: dict) -> dict:
    """(module or "module.Class", name) -> (value, ident), for every watched module.

    Values are kept, so that the ids compared later cannot be reused by new objects.
    """
    shot = {}
    for modname, module in modules.items():
        for name, value in _namespace(module).items():
            if not _kept(modname, name):
                continue
            shot[(modname, name)] = (value, _ident(value))
            if isinstance(value, type) and getattr(value, "__module__", None) == modname:
                for attr, member in _namespace(value).items():
                    if _kept(modname, attr) and attr not in ("__dict__", "__weakref__"):
                        shot[(f"{modname}.{name}", attr)] = (member, _ident(member))
    return shot


def _exercise_snapshot(exercises: dict) -> dict:
    shot = {}
    for exercise_id, ex in exercises.items():
        shot[f"{exercise_id}.reference"] = _ident(ex.reference)
        for index, case in enumerate(ex.cases):
            shot[f"{exercise_id}.cases[{index}].inputs"] = _ident(case.inputs)
            shot[f"{exercise_id}.cases[{index}].run"] = _ident(case.run)
    return shot


def _changes() -> list[str]:
    """The watched names whose value is no longer what the snapshot saw."""
    st = _state
    modules, changed = st["modules"], []
    missing = object()  # a local sentinel: a module-level one would be one of the watched values
    for modname, module in modules.items():
        if sys.modules.get(modname, module) is not module:
            changed.append(f"sys.modules[{modname!r}]")
    now = {}
    for (place, name), (value, ident) in st["snapshot"].items():
        if place not in now:
            if place in modules:
                now[place] = _namespace(modules[place])
            else:  # "module.Class"
                modname, _, clsname = place.rpartition(".")
                if modname not in now:  # (seen before its classes: the snapshot's order)
                    now[modname] = _namespace(modules.get(modname))
                cls = now[modname].get(clsname)
                now[place] = _namespace(cls) if isinstance(cls, type) else {}
        current = now[place].get(name, missing)
        if current is value and ident[0] == "object":
            continue  # the very object seen (it is kept alive): the same ident; 3x quicker
        if current is missing or _ident(current) != ident:
            changed.append(f"{place}.{name}")
    exercises_now = _exercise_snapshot(st["exercises"])
    changed += [
        name for name, ident in st["exercise_snapshot"].items() if exercises_now[name] != ident
    ]
    return changed


def _private(ex):
    """A copy of an exercise the notebook cannot reach through the exercise table."""
    cases = tuple(dataclasses.replace(case) for case in ex.cases)
    return dataclasses.replace(ex, cases=cases)


def _library_dirs() -> tuple[str, ...]:
    import nnscratch

    dirs = {os.path.dirname(os.path.abspath(nnscratch.__file__))}
    dirs.update(os.path.abspath(p) for p in sysconfig.get_paths().values())
    dirs.update(os.path.abspath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix))
    return tuple(sorted(d for d in dirs if d and d != os.sep))


def setup(token: str) -> None:
    """Before the learner's first cell: a recording `check`, private exercise copies, a snapshot."""
    from IPython import get_ipython

    import nnscratch
    import nnscratch.grader as grader_package
    from nnscratch.classroom import wire
    from nnscratch.exercises import EXERCISES
    from nnscratch.grader import core, guard, repairs, report

    shell = get_ipython()
    recorded: dict = {}

    def check(exercise_id, obj=None, *args, **kwargs):
        """Recorded for the instructor's grader, which runs the tests after the last cell."""
        recorded[str(exercise_id)] = obj
        return report.Result(str(exercise_id), (), note="recorded for grading")

    grader_package.check = check

    exercises = {exercise_id: _private(ex) for exercise_id, ex in EXERCISES.items()}
    _state.update(
        publish=shell.display_pub.publish,
        user_ns=shell.user_ns,
        recorded=recorded,
        exercises=exercises,
        probe_case=core.probe_case,
        object_problem=core.object_problem,
        to_plain=wire.to_plain,
        dumps=__import__("json").dumps,
        setprofile=sys.setprofile,
        getprofile=sys.getprofile,
        package_dir=os.path.dirname(os.path.abspath(nnscratch.__file__)),
        guarded_code=guard.guarded.__code__,
        library_dirs=_library_dirs(),
        isclass=inspect.isclass,
        thread_profile=__import__("threading").setprofile,
        student_error=guard.StudentError,
        repaired=repairs.repaired,
        contract_names=repairs.contract_names,
        passing_every_case=core.passing_every_case,
    )
    _state["modules"] = _watched_modules()
    _state["snapshot"] = _module_snapshot(_state["modules"])
    _state["exercise_snapshot"] = _exercise_snapshot(exercises)
    _send(
        token,
        {
            "kind": "setup",
            "watched": len(_state["snapshot"]),
            "python": sys.version.split()[0],
            "package": _state["package_dir"],
        },
    )


def _send(token: str, payload: dict) -> None:
    payload = dict(payload, token=token)
    _state["publish"]({MIME: _state["dumps"](payload, allow_nan=False)}, metadata={})


def _own_functions(obj) -> list:
    """The functions that make up obj itself (not its base classes)."""
    if isinstance(obj, functools.partial):
        return _own_functions(obj.func)
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if isinstance(obj, types.FunctionType):
        return [obj]
    if _state["isclass"](obj):
        found = []
        for member in dict(vars(obj)).values():
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, property):
                member = member.fget
            if isinstance(member, types.FunctionType):
                found.append(member)
        return found
    return []


def _origin(obj, reference) -> dict:
    """Facts about where obj comes from, for the grading process to judge."""
    isclass = _state["isclass"]
    facts = {
        "is_reference": obj is reference,
        "subclass_of_reference": False,
        "module": None,
        "package_code": [],
        "kind": "class" if isclass(obj) else type(obj).__name__,
    }
    try:
        if isclass(obj) and isclass(reference) and obj is not reference:
            facts["subclass_of_reference"] = bool(reference in obj.__mro__)
        if isclass(obj) or isinstance(
            obj, (types.FunctionType, types.MethodType, functools.partial)
        ):
            module = getattr(obj, "__module__", None)
            facts["module"] = module if isinstance(module, str) else None
        package = _state["package_dir"] + os.sep
        facts["package_code"] = sorted(
            f.__qualname__
            for f in _own_functions(obj)
            if os.path.abspath(f.__code__.co_filename).startswith(package)
        )[:10]
    except Exception:  # noqa: BLE001 - a learner's class may do anything on attribute access
        pass
    return facts


def _family(reference) -> list:
    """The reference and what the course provides that does its job.

    A reference written in the exercise tables stands for the package's code it wraps: for a
    class, the package's classes of the same name it derives from (a reference that adds a
    method to the package's layer stands for that layer); for a function, the package's functions
    its code calls by name (Chapter 7's train reference calls fit). A reference that is the
    package's own code is its family alone: what it calls (numerical_gradient for
    numerical_backward) is the course's to use.
    """
    package = _state["package_dir"] + os.sep
    exercises = os.path.join(_state["package_dir"], "exercises") + os.sep

    def provided(f) -> bool:
        path = os.path.abspath(getattr(getattr(f, "__code__", None), "co_filename", ""))
        return path.startswith(package) and not path.startswith(exercises)

    family = [reference]
    if not _in_tables(reference, exercises):
        return family  # the package's own code is the reference: that alone is the family
    if _state["isclass"](reference):
        for base in reference.__mro__[1:]:
            same = base.__name__ == reference.__name__
            if same and any(provided(f) for f in _own_functions(base)):
                family.append(base)
    elif isinstance(reference, types.FunctionType):
        names = reference.__globals__
        for name in reference.__code__.co_names:
            value = names.get(name)
            if isinstance(value, types.FunctionType) and provided(value):
                family.append(value)
    return family


def _in_tables(reference, exercises: str) -> bool:
    """Whether the reference's own code was written in the exercise tables."""
    for f in _own_functions(reference):
        if os.path.abspath(f.__code__.co_filename).startswith(exercises):
            return True
    return False


def _reference_codes(family) -> set[int]:
    return {id(f.__code__) for member in family for f in _own_functions(member)}


class _Watch:
    """Counts calls of the reference's family's code made from the learner's code.

    Calls made by the exercise's test harness (the package's own code) are not counted: the
    walk up the stack stops at the grader's guard, and only frames compiled from the notebook
    (or from any file outside the Python installation and the package, or from a string)
    count as the learner's. Threads started during the tests are watched too (their stacks
    hold the learner's function that started them). It also notes a call that switches the
    watch off (sys.setprofile, threading.setprofile).
    """

    def __init__(self, reference):
        family = _family(reference)
        self.codes = _reference_codes(family)
        self.keep = family  # keeps the code objects (and their ids) alive
        self.stop = {_state["guarded_code"], probe.__code__}  # the harness, the probe itself
        self.library = _state["library_dirs"]
        self.learner_files: dict[str, bool] = {}
        self.switches = (sys.setprofile, __import__("threading").setprofile)
        self.calls = 0
        self.called: set[str] = set()  # module.function of each one called
        self.switched_off = False

    def is_learner(self, filename: str) -> bool:
        known = self.learner_files.get(filename)
        if known is None:
            if filename.startswith("<"):
                known = not filename.startswith("<frozen")  # exec'd strings are the learner's
            else:
                path = os.path.abspath(filename)
                known = not any(path.startswith(d + os.sep) for d in self.library)
            self.learner_files[filename] = known
        return known

    def __call__(self, frame, event, arg):
        if event == "call" and id(frame.f_code) in self.codes:
            caller = frame.f_back
            while caller is not None and caller.f_code not in self.stop:
                if self.is_learner(caller.f_code.co_filename):
                    self.calls += 1
                    self.called.add(f"{frame.f_globals.get('__name__')}.{frame.f_code.co_name}")
                    break
                caller = caller.f_back
        elif event == "c_call" and any(arg is f for f in self.switches):
            self.switched_off = True


def _callable_target(obj):
    """What calling obj runs: obj itself, or for an instance its class's __call__."""
    if _state["isclass"](obj) or isinstance(obj, (types.FunctionType, types.MethodType)):
        return obj
    try:  # read statically: a learner's metaclass may do anything on attribute access
        call = inspect.getattr_static(type(obj), "__call__", None)
    except Exception:  # noqa: BLE001
        return obj
    return getattr(call, "__func__", call)


def probe(token: str, exercise_id: str, seed: int, target: str | None) -> None:
    """Run the learner's object for exercise_id on every case; send the outputs as plain data."""
    st = _state
    ex = st["exercises"][exercise_id]
    answer = {
        "kind": "probe",
        "id": exercise_id,
        "changed": _changes()[:20],
        "found": "check",
        "note": "",
        "cases": [],
        "origin": {},
        "reference_calls": 0,
        "profiler_removed": False,
    }
    if exercise_id in st["recorded"]:
        obj = st["recorded"][exercise_id]
    elif target:
        answer["found"] = "name"
        try:
            # The notebook's own expression (a name, usually), in the notebook's own kernel.
            obj = eval(target, st["user_ns"])
        except BaseException as exc:  # noqa: BLE001
            answer["found"] = "missing"
            answer["note"] = _(  # in the kernel's language, the notebook's (NNSCRATCH_LANG)
                "`{target}` could not be found after the notebook ran ({error})"
            ).format(target=target, error=type(exc).__name__)
            return _send(token, answer)
    else:
        answer["found"] = "missing"
        answer["note"] = N_("the notebook never ran this check")  # translated when judged
        return _send(token, answer)

    answer["origin"] = _origin(obj, ex.reference)
    if _callable_target(obj) is ex.reference and obj is not ex.reference:
        answer["origin"]["is_reference"] = True  # an object whose __call__ is the reference
    answer["note"] = st["object_problem"](ex, obj)
    if not answer["note"]:
        watch = _Watch(ex.reference)
        timed_out = False
        for index in range(len(ex.cases)):
            if timed_out:
                answer["cases"].append({"skipped": True})
                continue
            st["setprofile"](watch)
            st["thread_profile"](watch)  # threads started by the test are watched too
            try:
                got = st["probe_case"](ex, index, obj, seed)
            finally:
                switched_off = watch.switched_off  # before our own setprofile(None) below
                if st["getprofile"]() is not watch or switched_off:
                    answer["profiler_removed"] = True
                st["setprofile"](None)
                st["thread_profile"](None)
                watch.switched_off = False  # that call was ours
            timed_out = isinstance(got, st["student_error"]) and got.kind == "timeout"
            answer["cases"].append({"got": st["to_plain"](got)})
        answer["reference_calls"] = watch.calls
        answer["reference_called"] = sorted(watch.called)[:5]
    _send(token, answer)


def repair(token: str, exercise_id: str, seed: int, target: str | None, failing: list) -> None:
    """Search one change to the learner's object that makes every case pass (grader.repairs,
    as check() does in a notebook); send its hint and the changed object's outputs, or none."""
    st = _state
    ex = st["exercises"][exercise_id]
    answer = {"kind": "repair", "id": exercise_id, "hint": None, "cases": []}
    try:
        if exercise_id in st["recorded"]:
            obj = st["recorded"][exercise_id]
        else:
            obj = eval(target, st["user_ns"])  # as probe() found it
        passes = st["passing_every_case"](ex, seed, order=list(failing))
        found = st["repaired"](obj, passes, st["contract_names"](ex.reference))
    except BaseException:  # noqa: BLE001 - no repair is a fine answer; never a lost kernel
        found = None
    if found is not None:
        hint, changed = found
        answer["hint"] = {
            "template": hint.template,
            "params": {k: str(v) for k, v in hint.params.items()},
        }
        answer["cases"] = [
            {"got": st["to_plain"](st["probe_case"](ex, index, changed, seed))}
            for index in range(len(ex.cases))
        ]
    _send(token, answer)
