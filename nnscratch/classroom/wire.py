"""Plain data across the kernel boundary: JSON, with arrays as {dtype, shape, data}. Never pickle.

The learner's kernel sends the outputs of their code to the grading process with encode();
the grading process rebuilds them with decode(), which accepts only numbers, strings, bools,
lists, tuples, dicts, NumPy arrays and scalars of plain dtypes, and the grader's StudentError.
Anything else a learner's code returns travels as a stand-in that names its type, so the
comparison can say "should be a NumPy array, but is a Foo".
"""

from __future__ import annotations

import base64
import json
import math

import numpy as np

from nnscratch.grader.guard import StudentError
from nnscratch.i18n import Phrase

MAX_ARRAY_BYTES = 16 * 2**20  # one output array; a right answer is never near this
MAX_ITEMS = 100_000  # items of one list, tuple or dict
MAX_DEPTH = 32
MAX_STRING = 2**20
SAFE_KINDS = "biufcSU"  # bool, ints, floats, complex, byte and text strings: no objects, no pickles


class WireError(ValueError):
    """The data received is not what encode() produces."""


class Unsendable:
    """Stands in for a value that could not cross the boundary (a learner's object, say)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other) -> bool:
        return False

    __hash__ = None


def _unsendable(kind: str, text: str) -> Unsendable:
    """An instance of a class named for the original type, so messages name it."""
    name = "".join(c for c in kind if c.isalnum() or c in "_. ")[:60] or "object"
    return type(name, (Unsendable,), {})(text[:200])


def _opaque(value, why: str = "") -> dict:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a learner's __repr__ may raise
        text = "<unprintable>"
    return {"t": "opaque", "type": type(value).__name__ + why, "repr": text[:200]}


def _array(a: np.ndarray) -> dict:
    if a.dtype.kind not in SAFE_KINDS or a.dtype.fields is not None:
        return _opaque(a, " of Python objects")
    if a.nbytes > MAX_ARRAY_BYTES:
        return {
            "t": "opaque",
            "type": "ndarray (too large to send)",
            "repr": f"an array of shape {a.shape} and {a.nbytes} bytes",
        }
    data = np.ascontiguousarray(a).tobytes()
    return {
        "t": "ndarray",
        "dtype": a.dtype.str,
        "shape": list(a.shape),
        "data": base64.b64encode(data).decode("ascii"),
    }


def to_plain(value, depth: int = 0):
    """value -> a structure of JSON types."""
    if depth > MAX_DEPTH:
        return _opaque(value, " (nested too deep)")
    if value is None or type(value) is bool:
        return value
    if type(value) is Phrase:  # a table's output name, made to be translated: its English text
        value = str.__str__(value)
    if type(value) is str:
        return value if len(value) <= MAX_STRING else _opaque(value[:200], " (too long to send)")
    if isinstance(value, StudentError):
        return {
            "t": "error",
            "kind": value.kind,
            "type": value.type,
            "message": value.message,
            "where": value.where,
            "code": value.code,
        }
    if isinstance(value, np.ndarray):
        return _array(value)
    if isinstance(value, np.generic):
        if value.dtype.kind not in SAFE_KINDS:
            return _opaque(value)
        return {
            "t": "scalar",
            "dtype": value.dtype.str,
            "data": base64.b64encode(value.tobytes()).decode("ascii"),
        }
    if type(value) is int:
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"t": "float", "repr": repr(value)}
    if type(value) is complex:
        return {"t": "complex", "re": to_plain(value.real), "im": to_plain(value.imag)}
    if type(value) in (list, tuple):
        if len(value) > MAX_ITEMS:
            return _opaque(value, " (too long to send)")
        items = [to_plain(v, depth + 1) for v in value]
        return items if type(value) is list else {"t": "tuple", "items": items}
    if type(value) is dict:
        if len(value) > MAX_ITEMS:
            return _opaque(value, " (too long to send)")
        return {
            "t": "dict",
            "items": [[to_plain(k, depth + 1), to_plain(v, depth + 1)] for k, v in value.items()],
        }
    return _opaque(value)


def encode(value) -> str:
    return json.dumps(to_plain(value), allow_nan=False, separators=(",", ":"))


def _dtype(text) -> np.dtype:
    if not isinstance(text, str) or len(text) > 16:
        raise WireError(f"bad dtype {text!r}")
    try:
        dtype = np.dtype(text)
    except TypeError as exc:
        raise WireError(f"bad dtype {text!r}") from exc
    if dtype.kind not in SAFE_KINDS or dtype.fields is not None or dtype.hasobject:
        raise WireError(f"refused dtype {text!r}")
    return dtype


def _bytes(text) -> bytes:
    if not isinstance(text, str):
        raise WireError("array data must be base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise WireError("array data is not base64") from exc


def from_plain(data, depth: int = 0):
    """The inverse of to_plain(); raises WireError on anything to_plain() cannot produce."""
    if depth > MAX_DEPTH + 2:
        raise WireError("nested too deep")
    if data is None or isinstance(data, (bool, str, int, float)):
        return data
    if isinstance(data, list):
        return [from_plain(v, depth + 1) for v in data]
    if not isinstance(data, dict):
        raise WireError(f"unexpected {type(data).__name__}")
    tag = data.get("t")
    decoder = _DECODERS.get(tag) if isinstance(tag, str) else None
    if decoder is None:
        raise WireError(f"unknown tag {tag!r}")
    return decoder(data, depth)


def _from_ndarray(data: dict, depth: int) -> np.ndarray:
    dtype = _dtype(data.get("dtype"))
    shape = data.get("shape")
    if not (
        isinstance(shape, list)
        and len(shape) <= 32
        and all(type(n) is int and 0 <= n for n in shape)
    ):
        raise WireError(f"bad shape {shape!r}")
    raw = _bytes(data.get("data"))
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise WireError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _from_scalar(data: dict, depth: int) -> np.generic:
    dtype = _dtype(data.get("dtype"))
    raw = _bytes(data.get("data"))
    if len(raw) != dtype.itemsize:
        raise WireError("scalar data does not match its dtype")
    return np.frombuffer(raw, dtype=dtype)[0]


def _from_float(data: dict, depth: int) -> float:
    if data.get("repr") not in ("nan", "inf", "-inf"):
        raise WireError("bad float")
    return float(data["repr"])


def _from_complex(data: dict, depth: int) -> complex:
    return complex(from_plain(data.get("re"), depth + 1), from_plain(data.get("im"), depth + 1))


def _from_tuple(data: dict, depth: int) -> tuple:
    items = data.get("items")
    if not isinstance(items, list):
        raise WireError("bad tuple")
    return tuple(from_plain(v, depth + 1) for v in items)


def _from_dict(data: dict, depth: int) -> dict:
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(p, list) and len(p) == 2 for p in items):
        raise WireError("bad dict")
    out = {}
    for k, v in items:
        key = from_plain(k, depth + 1)
        if not isinstance(key, (str, int, float, bool, tuple)) and key is not None:
            raise WireError("bad dict key")
        out[key] = from_plain(v, depth + 1)
    return out


def _from_error(data: dict, depth: int) -> StudentError:
    fields = [data.get(name, "") for name in ("kind", "type", "message", "where", "code")]
    if not all(isinstance(f, str) for f in fields):
        raise WireError("bad error")
    return StudentError(*(f[:1000] for f in fields))


def _from_opaque(data: dict, depth: int) -> Unsendable:
    kind, text = data.get("type", ""), data.get("repr", "")
    if not isinstance(kind, str) or not isinstance(text, str):
        raise WireError("bad stand-in")
    return _unsendable(kind, text)


# to_plain()'s tags ("t") and how each is read back.
_DECODERS = {
    "ndarray": _from_ndarray,
    "scalar": _from_scalar,
    "float": _from_float,
    "complex": _from_complex,
    "tuple": _from_tuple,
    "dict": _from_dict,
    "error": _from_error,
    "opaque": _from_opaque,
}


def decode(text: str):
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not JSON: {exc}") from exc
    return from_plain(data)
