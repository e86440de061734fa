"""Chapter 4 exercises: derivatives by the chain rule.

Each exercise asks for the formula, so each reference is the analytic derivative and the
cases are exact (nnscratch.spec.Case): a float64 answer must be right to rounding error,
which a numerical difference cannot reach. tests/test_grader_exact.py checks every reference
against Chapter 3's central differences, the oracle.
"""

from functools import partial

import numpy as np

from nnscratch.chain import SIGMOID, SQUARE_OF_LINE, Step, backward, chain_derivative, forward
from nnscratch.exercises.inference import PRECEDENCE
from nnscratch.exercises.predictions import prediction
from nnscratch.exercises.wrong_argument import at_wrong_arguments
from nnscratch.functions import sigmoid
from nnscratch.i18n import N_
from nnscratch.spec import Case, ErrorHint, Exercise, Mistake

# For float32 inputs (and for matching the table's mistakes): float32 is right to about 1e-7.
RTOL, ATOL = 1e-6, 1e-7
# Every exercise here asks for a formula: exact (to rounding error) for float64 inputs.
_DerivativeCase = partial(Case, rtol=RTOL, atol=ATOL, exact=True)

# dz_dx(x) for z = (x² + 1)³


def composite(x):
    """z = (x² + 1)³, elementwise."""
    return (x**2 + 1) ** 3


def _run_composite(impl, inp):
    return {"dz_dx(x)": impl(inp["x"])}


def dz_dx(x):
    return 6 * x * (x**2 + 1) ** 2  # 3y² · 2x at y = x² + 1


composite_exercise = Exercise(
    id="chain_rule.composite",
    receives=N_("a function dz_dx(x)"),
    reference=dz_dx,
    forms=("def dz_dx(x):\n    return 3 * (x**2 + 1) ** 2 * (2 * x)\n",),
    cases=(
        _DerivativeCase(
            N_("x = 1 (by hand: y = 2, dz/dy = 3·2² = 12, dy/dx = 2, so dz/dx = 24)"),
            lambda rng: {"x": np.float64(1.0)},
            _run_composite,
        ),
        _DerivativeCase(
            N_("an array of points"),
            lambda rng: {"x": np.array([-2.0, -1.0, 0.0, 0.5, 1.5])},
            _run_composite,
        ),
        _DerivativeCase(
            N_("a hidden random (3, 4) array"),
            lambda rng: {"x": rng.uniform(-2, 2, size=(3, 4))},
            _run_composite,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "that is only dz/dy = 3y² with y = x² + 1: the chain rule multiplies it by the "
                "inner derivative dy/dx = 2x."
            ),
            lambda x: 3 * (x**2 + 1) ** 2,
        ),
        Mistake(
            N_(
                "the outer derivative 3y² must be evaluated at y = x² + 1, the value that flows "
                "into the cube, not at x."
            ),
            lambda x: 3 * x**2 * 2 * x,
        ),
        Mistake(
            N_(
                "that is z = (x² + 1)³ itself, the function's value; the question asks for its slope."
            ),
            composite,
        ),
        Mistake(
            N_(
                "the chain rule multiplies the two derivatives: dz/dx = dz/dy · dy/dx, not their sum."
            ),
            lambda x: 3 * (x**2 + 1) ** 2 + 2 * x,
        ),
        Mistake(
            N_(
                "the outer derivative is evaluated at y = x² + 1, not at the inner derivative 2x: "
                "dz/dx = 3(x² + 1)² · 2x."
            ),
            lambda x: 3 * (2 * x) ** 2,
        ),
        Mistake(
            N_("the inner derivative of x² + 1 is 2x, not 2."), lambda x: 3 * (x**2 + 1) ** 2 * 2
        ),
        Mistake(
            N_("the derivative of y³ is 3y², not 3y: dz/dx = 3(x² + 1)² · 2x."),
            lambda x: 3 * (x**2 + 1) * 2 * x,
        ),
        Mistake(
            N_("the inner derivative of x² + 1 is 2x, not x: dz/dx = 3(x² + 1)² · 2x."),
            lambda x: 3 * (x**2 + 1) ** 2 * x,
        ),
        Mistake(
            N_(
                "the derivative of y³ is 3y², the power one lower: 3(x² + 1)² · 2x, not "
                "3(x² + 1)³ · 2x."
            ),
            lambda x: 6 * x * (x**2 + 1) ** 3,
        ),
        *at_wrong_arguments(dz_dx),
    ),
)

# sigmoid_grad(x): dσ/dx through the four steps ×(−1), exp, +1, 1/u


def _run_sigmoid_grad(impl, inp):
    return {"sigmoid_grad(x)": impl(inp["x"])}


def _sigmoid_slope(x):
    return 0.25 / np.cosh(np.asarray(x, dtype=float) / 2) ** 2


sigmoid_grad_exercise = Exercise(
    id="chain_rule.sigmoid_grad",
    receives=N_("a function sigmoid_grad(x)"),
    # σ(x)(1 − σ(x)) in another algebraic form: numpy alone, so that a learner who calls the
    # course's sigmoid is not taken for calling the reference (nnscratch.classroom.inkernel).
    reference=_sigmoid_slope,
    forms=(
        "def sigmoid_grad(x):\n    return sigmoid(x) * (1 - sigmoid(x))\n",
        "def sigmoid_grad(x):\n    return np.exp(-x) / (1 + np.exp(-x)) ** 2\n",
    ),
    cases=(
        _DerivativeCase(
            N_("a few numbers (the slope at 0 is 1/4)"),
            lambda rng: {"x": np.array([-2.0, -1.0, 0.0, 1.0, 2.0])},
            _run_sigmoid_grad,
        ),
        _DerivativeCase(
            N_("far from zero (±40, ±1000): the slope is ≈ 0, without NaN"),
            lambda rng: {"x": np.array([-1000.0, -40.0, 40.0, 1000.0])},
            _run_sigmoid_grad,
        ),
        _DerivativeCase(
            N_("a (2, 3) matrix"),
            lambda rng: {"x": np.round(3 * rng.standard_normal((2, 3)), 2)},
            _run_sigmoid_grad,
        ),
        _DerivativeCase(
            N_("a hidden random (3, 4) array"),
            lambda rng: {"x": 4 * rng.standard_normal((3, 4))},
            _run_sigmoid_grad,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "a sign went missing. There are two minus signs on the way: the ×(−1) step has "
                "local derivative −1, and 1/u has −1/u². They cancel, so σ'(x) is positive."
            ),
            lambda x: -sigmoid(x) * (1 - sigmoid(x)),
        ),
        Mistake(
            N_(
                "`y * 1 - y` is y − y = 0: Python multiplies before it subtracts. Put the "
                "difference in parentheses: `y * (1 - y)`."
            ),
            lambda x: sigmoid(x) * 1 - sigmoid(x),
        ),
        Mistake(
            N_(
                "y (1 − x) mixes the output y = σ(x) with the input x: both factors use y, "
                "σ'(x) = y (1 − y)."
            ),
            lambda x: sigmoid(x) * (1 - x),
        ),
        Mistake(
            N_(
                "x (1 − x) is written with the input x; the slope is y (1 − y) with y the output, "
                "y = σ(x) = 1 / (1 + e^(−x)): compute y first."
            ),
            lambda x: x * (1 - x),
        ),
        Mistake(
            N_(
                "e^(−x) / (1 + e^(−x))² is right on paper, but at x = −1000 e^(1000) overflows to "
                "inf and inf / inf is NaN. Write it with y = σ(x): it equals y (1 − y), which "
                "never overflows."
            ),
            lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
        ),
        Mistake(
            N_(
                "the exp step's local derivative e^u is evaluated at its own input u = −x, so it "
                "is e^(−x), not e^x."
            ),
            lambda x: np.exp(x) / (1 + np.exp(-x)) ** 2,
        ),
        Mistake(
            N_(
                "σ is not its own derivative (that is e^x): multiply the local derivatives of the "
                "four steps; the product simplifies to σ(x)(1 − σ(x))."
            ),
            sigmoid,
        ),
        Mistake(PRECEDENCE, lambda x: (1 / 1 + np.exp(-x)) * (1 - (1 / 1 + np.exp(-x)))),
        Mistake(
            N_(
                "your values are 1 − σ(x) = e^(−x) / (1 + e^(−x)) at every place; σ'(x) = "
                "σ(x)(1 − σ(x)) is that times σ(x)."
            ),
            lambda x: np.exp(-x) * sigmoid(x),
        ),
        Mistake(
            N_(
                "that is y (1 + y), with y = σ(x): the second factor has a plus where the rule "
                "has a minus. σ'(x) = y (1 − y)."
            ),
            lambda x: sigmoid(x) * (1 + sigmoid(x)),
        ),
        Mistake(
            N_(
                "that is 1 − y², tanh's derivative written with its output; the sigmoid's is "
                "y (1 − y)."
            ),
            lambda x: 1 - sigmoid(x) ** 2,
        ),
        *at_wrong_arguments(_sigmoid_slope, sigmoid, "sigmoid"),
    ),
)

# chain_derivative(steps, x) and chain_backward(steps, x) for chains of (f, df) steps


def _step(name):
    """Simple steps for building chains; each df is the step's local derivative."""
    return {
        "sin": Step(np.sin, np.cos),
        "square": Step(lambda u: u**2, lambda u: 2 * u),
        "exp": Step(np.exp, np.exp),
        "tanh": Step(np.tanh, lambda u: 1 - np.tanh(u) ** 2),
        "3u + 1": Step(lambda u: 3 * u + 1, lambda u: 3.0 + 0 * u),
        "half": Step(lambda u: u / 2, lambda u: 0.5 + 0 * u),
    }[name]


def _chain_inputs(names, x):
    def make(rng):
        return {"steps": [_step(n) for n in names], "x": float(x)}

    return make


def _random_chain_inputs(rng):
    names = rng.choice(["sin", "square", "tanh", "3u + 1", "half"], size=5)
    return {"steps": [_step(n) for n in names], "x": float(rng.uniform(-1, 1))}


def _named_inputs(chain, x):
    def make(rng):
        return {"steps": [tuple(s) for s in chain.steps], "x": float(x)}

    return make


def _run_chain_derivative(impl, inp):
    return {"chain_derivative(steps, x)": impl(inp["steps"], inp["x"])}


def _chain_case(name, inputs, shown=True):
    return _DerivativeCase(name, inputs, _run_chain_derivative, shown=shown)


def _product(values):
    total = 1.0
    for v in values:
        total = total * v
    return total


def _pair_swapped(steps, x):  # `for df, f in steps:` when each step is (f, df)
    d = 1.0
    for df, f in steps:
        d = d * df(x)
        x = f(x)
    return d


_AT_THE_INPUT = N_(
    "each local derivative is evaluated at the value flowing into its own step, not at the "
    "chain's input x: move along the chain as you go (`x = f(x)`)."
)

chain_derivative_exercise = Exercise(
    id="chain_rule.chain_derivative",
    receives=N_("a function chain_derivative(steps, x)"),
    reference=chain_derivative,
    # the loop the chapter builds, whose lines and names a slip changes (grader.mutations)
    forms=(
        "def chain_derivative(steps, x):\n"
        "    d = 1.0\n"
        "    for f, df in steps:\n"
        "        d = d * df(x)\n"
        "        x = f(x)\n"
        "    return d\n",
    ),
    cases=(
        _chain_case(
            N_("z = (3x + 2)² as the steps 3u + 2 and u², at x = 1 (answer 30)"),
            _named_inputs(SQUARE_OF_LINE, 1.0),
        ),
        _chain_case(
            N_("the sigmoid as ×(−1), exp, +1, 1/u at x = 0.5"), _named_inputs(SIGMOID, 0.5)
        ),
        _chain_case(
            N_("sin, then square, then exp, at x = 0.7"),
            _chain_inputs(["sin", "square", "exp"], 0.7),
        ),
        _chain_case(N_("a hidden random chain of five steps"), _random_chain_inputs, shown=False),
    ),
    mistakes=(
        Mistake(_AT_THE_INPUT, lambda steps, x: _product(df(x) for _, df in steps)),
        Mistake(
            N_(
                "multiply by df(u) at the step's input u, before moving on: compute the local "
                "derivative first, then `x = f(x)`."
            ),
            lambda steps, x: _product(df(v) for (_, df), v in zip(steps, forward(steps, x)[1:])),
        ),
        *(
            Mistake(
                N_(
                    "along a chain the local derivatives multiply; adding them gives something "
                    "else."
                ),
                lambda steps, x, start=start: (
                    start + sum(df(v) for (_, df), v in zip(steps, forward(steps, x)))
                ),
            )
            for start in (0.0, 1.0)  # `+=` from 0, or from the product's own start 1
        ),
        Mistake(
            N_(
                "that is the first step's local derivative alone: a `return` inside the loop "
                "ends it after one step. Return after the loop, once every step is multiplied in."
            ),
            lambda steps, x: steps[0][1](x),
        ),
        Mistake(
            N_(
                "the last step is left out: the loop stops one step early (`range(len(steps) - 1)`"
                " or `steps[:-1]`); every step's local derivative is a factor."
            ),
            lambda steps, x: chain_derivative(list(steps)[:-1], x),
        ),
        Mistake(
            N_("start the product at 1 (dx/dx = 1); starting at 0 makes every product 0."),
            lambda steps, x: 0.0,
        ),
        Mistake(
            N_(
                "that is the derivative of the first and the last steps alone, as if the chain "
                "had two steps: the steps between are left out. Loop over every step."
            ),
            lambda steps, x: chain_derivative([steps[0], steps[-1]], x),
        ),
        Mistake(
            N_(
                "that is the derivative of the first two steps alone, as if the chain had two "
                "steps: the later ones are left out. Loop over every step."
            ),
            lambda steps, x: chain_derivative(list(steps)[:2], x),
        ),
        Mistake(
            N_(
                "the steps act in the order listed, the first on x: walking them in reverse "
                "(`reversed(steps)`) differentiates the chain built the other way round. Going "
                "backwards is for chain_backward, which keeps each step's input first."
            ),
            lambda steps, x: chain_derivative(list(reversed(steps)), x),
        ),
        Mistake(
            N_("return the derivative dz/dx, not the chain's output z."),
            lambda steps, x: forward(steps, x)[-1],
        ),
        Mistake(
            N_(
                "the local derivatives meet the values in reverse order: steps[k]'s df belongs "
                "at value k, its own input (x for the first step)."
            ),
            lambda steps, x: _product(
                df(v) for (_, df), v in zip(steps, reversed(forward(steps, x)[:-1]))
            ),
        ),
        Mistake(
            N_(
                "f and df are used the other way round: each step is a pair (f, df), the "
                "function first, so `for f, df in steps:`. Swapped, the product multiplies the "
                "functions' values and x moves along the derivatives."
            ),
            _pair_swapped,
        ),
    ),
    error_hints=(
        ErrorHint(
            r"cannot unpack|not enough values to unpack|too many values to unpack|"
            r"'(tuple|Step)' object is not callable",
            N_(
                "each step is a pair (f, df) of functions, not a function itself: loop with "
                "`for f, df in steps:` and call f(x) and df(x)."
            ),
        ),
    ),
)


def _run_backward(impl, inp):
    grads = impl(inp["steps"], inp["x"])
    if isinstance(grads, (list, tuple)):
        grads = np.array(grads, dtype=float)  # a list is a fine answer here
    return {"chain_backward(steps, x)": grads}


MOST_CALLS = N_("the most times one step's f was called")


def _run_backward_counting(impl, inp):
    """chain_backward with every f counted: the text allows one evaluation per step."""
    calls = [0] * len(inp["steps"])

    def counted(k, f):
        def f_counted(u):
            calls[k] += 1
            return f(u)

        return f_counted

    steps = [(counted(k, f), df) for k, (f, df) in enumerate(inp["steps"])]
    return {**_run_backward(impl, {**inp, "steps": steps}), MOST_CALLS: max(calls)}


def _backward_at_the_input(steps, x):  # every df at the chain's input x: the values never move
    grads = np.ones(len(steps) + 1)
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * steps[k][1](x)
    return grads


def _backward_without_last(steps, x):  # the loop stops one step early: range(len(steps) - 1)
    grads = np.ones(len(steps) + 1)
    values = forward(steps, x)
    for k in reversed(range(len(steps) - 1)):
        grads[k] = grads[k + 1] * steps[k][1](values[k])
    return grads


def _backward_case(name, inputs, shown=True):
    return _DerivativeCase(name, inputs, _run_backward, shown=shown)


def _locals(steps, x):
    return [df(v) for (_, df), v in zip(steps, forward(steps, x))]


def _from_the_left(steps, x):
    grads, total = [1.0], 1.0
    for d in _locals(steps, x):
        total = total * d
        grads.append(total)
    return grads


def _df_at_output(steps, x):
    values = forward(steps, x)
    grads = [1.0]
    for k in reversed(range(len(steps))):
        grads.insert(0, grads[0] * steps[k][1](values[k + 1]))
    return grads


def _values_from_x(steps, x):  # every value f_k(x), each computed from the chain's input
    values = [x] + [f(x) for f, _ in steps]
    grads = np.ones(len(steps) + 1)
    for k in reversed(range(len(steps))):
        grads[k] = grads[k + 1] * steps[k][1](values[k])
    return grads


def _adding_back(steps, x):
    grads = [1.0]
    for d in reversed(_locals(steps, x)):
        grads.insert(0, grads[0] + d)
    return grads


def _right_to_left(steps, x, shift=0, with_last=True):
    local = _locals(steps, x) + [1.0]
    grads = [1.0]
    for k in reversed(range(len(steps))):
        grads.insert(0, grads[0] * local[k + shift])
    return grads if with_last else grads[:-1]


chain_backward_exercise = Exercise(
    id="chain_rule.chain_backward",
    receives=N_("a function chain_backward(steps, x)"),
    reference=backward,
    # the two sweeps the chapter builds, whose lines, names and loops a slip changes
    forms=(
        "def chain_backward(steps, x):\n"
        "    values = [x]\n"
        "    for f, df in steps:\n"
        "        values.append(f(values[-1]))\n"
        "    grads = np.ones(len(steps) + 1)\n"
        "    for k in range(len(steps) - 1, -1, -1):\n"
        "        grads[k] = grads[k + 1] * steps[k][1](values[k])\n"
        "    return grads\n",
    ),
    cases=(
        _backward_case(
            N_("z = (3x + 2)² at x = 1: [dz/dx, dz/dy, dz/dz] = [30, 10, 1]"),
            _named_inputs(SQUARE_OF_LINE, 1.0),
        ),
        _backward_case(
            N_("the sigmoid as ×(−1), exp, +1, 1/u at x = 0.5 (the chapter's figure)"),
            _named_inputs(SIGMOID, 0.5),
        ),
        _backward_case(
            N_("a hidden random chain of five steps"), _random_chain_inputs, shown=False
        ),
        Case(
            N_("sin, square, tanh, 3u + 1 at x = 0.3: each step's f evaluated once"),
            _chain_inputs(["sin", "square", "tanh", "3u + 1"], 0.3),
            _run_backward_counting,
            rtol=RTOL,
            atol=ATOL,
            exact=("chain_backward(steps, x)",),
            explain={
                MOST_CALLS: N_(
                    "evaluate each step's f once: keep the forward pass's values in a list and "
                    "read them on the way back"
                )
            },
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "these are the products from the left, dy_k/dx. The backward sweep starts at the "
                "output with dz/dz = 1 and walks right to left: dz/dv_k = dz/dv_(k+1) × (local "
                "derivative of step k+1)."
            ),
            _from_the_left,
        ),
        Mistake(
            N_(
                "list the derivatives in the order of the values, x first: the first entry is "
                "dz/dx and the last is dz/dz = 1."
            ),
            lambda steps, x: _right_to_left(steps, x)[::-1],
        ),
        Mistake(
            N_(
                "a chain of n steps carries n + 1 values (x, y1, ..., z), so return n + 1 "
                "derivatives; the last one is dz/dz = 1."
            ),
            lambda steps, x: _right_to_left(steps, x, with_last=False),
        ),
        Mistake(
            N_(
                "off by one step: between value k and value k + 1 sits step k + 1 (steps[k] in "
                "Python), whose local derivative is evaluated at value k."
            ),
            lambda steps, x: _right_to_left(steps, x, shift=1),
        ),
        Mistake(
            N_(
                "each step's local derivative is taken at the step's output, value k + 1; it "
                "belongs at the step's input: steps[k]'s df at value k, the value that went in."
            ),
            _df_at_output,
        ),
        Mistake(
            N_(
                "return every derivative, [dz/dx, dz/dy1, ..., dz/dz = 1], one per value of the "
                "chain: dz/dx alone is chain_derivative's answer."
            ),
            chain_derivative,
        ),
        Mistake(
            N_(
                "these are the steps' local derivatives alone, each df at its step's input: "
                "dz/dv_k is the upstream gradient times the local derivative, so multiply as you "
                "walk back from dz/dz = 1 (grads[k] = df_k(v_k) × grads[k + 1])."
            ),
            lambda steps, x: _locals(steps, x) + [1.0],
        ),
        Mistake(
            N_(
                "each gradient adds the local derivative to the upstream one; the chain rule "
                "multiplies them: grads[k] = df_k(v_k) × grads[k + 1]."
            ),
            _adding_back,
        ),
        Mistake(
            N_(
                "the sweep starts from dz/dz = 1: set the last entry to 1 before walking back "
                "(with every entry starting at 0, every product stays 0)."
            ),
            lambda steps, x: np.zeros(len(forward(steps, x))),  # forward: f called once each
        ),
        Mistake(_AT_THE_INPUT, _backward_at_the_input),
        Mistake(
            N_(
                "each value comes from the one before it, v_k = f_k(v_(k−1)); values computed "
                "each from x alone are not the chain's."
            ),
            _values_from_x,
        ),
        Mistake(
            N_(
                "the last step's local derivative is missing: the entry before dz/dz = 1 is "
                "still 1, and every entry before it lacks that factor. Does the loop stop one "
                "step early (`range(len(steps) - 1)`)? Walk back over every step, "
                "`for k in reversed(range(len(steps))):`."
            ),
            _backward_without_last,
        ),
    ),
    error_hints=chain_derivative_exercise.error_hints,
)

EXERCISES = (
    composite_exercise,
    sigmoid_grad_exercise,
    chain_derivative_exercise,
    chain_backward_exercise,
)


# --- Predict, then run; and a derivative derived by hand (issue 13) ----------------------
# Appended below the chapter's first entries so that edits to those stay separate.


predict_square_of_line = prediction(
    "chain_rule.predict_square_of_line",
    N_("dz/dx for z = (3x + 2)² at x = 1"),
    30.0,
    wrong=[
        (10.0, N_("that is only dz/dy = 2y at y = 5: multiply by the inner derivative dy/dx = 3.")),
        (
            6.0,
            (
                N_(
                    "the outer derivative 2y is taken at y = 3x + 2 = 5, the value flowing in, "
                    "not at x = 1."
                )
            ),
        ),
        (3.0, N_("that is only the inner derivative dy/dx; multiply it by dz/dy = 2y at y = 5.")),
        (25.0, N_("that is z itself, (3·1 + 2)²; the question asks for its slope dz/dx.")),
        (
            15.0,
            N_("the derivative of u² is 2u, so dz/dy = 2y = 10 at y = 5: 15 leaves out the 2."),
        ),
        (
            18.0,
            N_(
                "18 is what two slips give, and a number cannot tell which: 2 · 3 · 3, with y "
                "taken as 3 where y = 3x + 2 = 5 at x = 1; or 18x, the expansion 18x + 12 with "
                "its 12 left out."
            ),
        ),
        (
            13.0,
            N_("13 is 10 + 3: the chain rule multiplies the local derivatives, 2y · 3 at y = 5."),
        ),
    ],
)

predict_sigmoid_slope = prediction(
    "chain_rule.predict_sigmoid_slope",
    N_("the product of the four local derivatives at x = 0.5 (2 decimals)"),
    float(sigmoid(0.5) * (1 - sigmoid(0.5))),
    rtol=0.03,
    wrong=[
        (
            0.25,
            (
                N_(
                    "0.25 is the sigmoid's slope at x = 0, its steepest point; at x = 0.5 the "
                    "curve is a little flatter."
                )
            ),
        ),
        (float(sigmoid(0.5)), N_("that is y = σ(0.5) itself, the value; the slope is y (1 − y).")),
        (float(1 - sigmoid(0.5)), N_("that is 1 − y alone; the slope is y (1 − y).")),
        (
            float(-1 / (1 + np.exp(-0.5)) ** 2),
            N_(
                "that is the 1/u step's local derivative alone, −1/u² at u = 1 + e^(−0.5); the "
                "slope is the product of all four."
            ),
        ),
        (
            float(-sigmoid(0.5) * (1 - sigmoid(0.5))),
            N_(
                "two of the four local derivatives are negative, ×(−1)'s −1 and 1/u's −1/u², "
                "so their product is positive."
            ),
        ),
        (
            float(np.exp(-0.5)),
            N_(
                "that is e^(−0.5), the exp step's local derivative alone; the slope is the "
                "product of all four."
            ),
        ),
    ],
)


def softplus(x):
    """log(1 + e^x), computed without overflow for large x."""
    return np.logaddexp(0.0, x)


def _run_softplus_grad(impl, inp):
    return {"softplus_grad(x)": impl(inp["x"])}


def _softplus_slope(x):
    return 0.5 * (1 + np.tanh(np.asarray(x, dtype=float) / 2))  # eˣ / (1 + eˣ)


softplus_grad_exercise = Exercise(
    id="chain_rule.softplus_grad",
    receives=N_("a function softplus_grad(x)"),
    reference=_softplus_slope,
    forms=(
        "def softplus_grad(x):\n    return np.exp(x) / (1 + np.exp(x))\n",
        "def softplus_grad(x):\n    return 1 / (1 + np.exp(-x))\n",
    ),
    cases=(
        _DerivativeCase(
            N_("x = 0"),
            lambda rng: {"x": np.float64(0.0)},
            _run_softplus_grad,
        ),
        _DerivativeCase(
            N_("an array of points"),
            lambda rng: {"x": np.array([-3.0, -1.0, 0.5, 2.0, 4.0])},
            _run_softplus_grad,
        ),
        _DerivativeCase(
            N_("a hidden random (3, 4) array"),
            lambda rng: {"x": rng.uniform(-4, 4, size=(3, 4))},
            _run_softplus_grad,
            shown=False,
        ),
    ),
    mistakes=(
        Mistake(
            N_(
                "your values are 1/(1 + eˣ) = σ(−x) at every place, which is 1/u, the outer "
                "derivative of log u at u = 1 + eˣ, alone; the slope of softplus is that times "
                "the inner derivative du/dx = eˣ, which is σ(x)."
            ),
            lambda x: 1 / (1 + np.exp(x)),
        ),
        Mistake(
            N_(
                "that is only the inner derivative du/dx = eˣ: multiply it by the outer one, "
                "d(log u)/du = 1/u at u = 1 + eˣ."
            ),
            lambda x: np.exp(x),
        ),
        Mistake(
            N_(
                "that is the sigmoid's derivative y (1 − y); the question is the derivative of "
                "log(1 + eˣ), one step earlier."
            ),
            lambda x: sigmoid(x) * (1 - sigmoid(x)),
        ),
        Mistake(N_("that is log(1 + eˣ) itself: the function, not its slope."), softplus),
        *(
            Mistake(
                N_(
                    "the outer derivative 1/u is taken at u = 1 + eˣ, the value flowing into the "
                    "log: eˣ / (1 + eˣ)."
                ),
                impl,
            )
            for impl in (lambda x: np.exp(x) / x, lambda x: np.exp(x) / np.log(1 + np.exp(x)))
        ),
        Mistake(PRECEDENCE, lambda x: 1 / 1 + np.exp(-x)),
        Mistake(
            N_(
                "these values are eˣ / (1 + e⁻ˣ), eˣ times the slope: the two exponents have "
                "opposite signs. Keep one sign of x in both, eˣ / (1 + eˣ), or its other form "
                "1 / (1 + e⁻ˣ)."
            ),
            lambda x: np.exp(x) / (1 + np.exp(-x)),
        ),
        *at_wrong_arguments(_softplus_slope, softplus, "softplus", skip=("-x",)),  # 1/u above
    ),
)

EXERCISES += (predict_square_of_line, predict_sigmoid_slope, softplus_grad_exercise)
