"""A safe parser for target functions the user types, such as ``0.5 + 0.4*sin(2*pi*x)``.

The text is parsed with Python's ``ast`` module and the tree is walked against an allowlist:
numbers, the variables (``x``, and ``y`` for two inputs), ``+ - * / **`` (``^`` also means power;
the typographic − × · ² ³ are read as - * * **2 **3), unary minus, the constants ``pi`` and ``e``, and calls to a fixed set of NumPy functions.
Nothing is ever passed to ``eval``/``exec``: the walker computes the value itself, with NumPy
floats only, so no attribute access, no names outside the list, no huge integers.
Problems raise :class:`FormulaError` with a sentence the GUI can show next to the field.
"""

from __future__ import annotations

import ast

import numpy as np

from explorer.core.sigmoid import relu, sigmoid, step

MAX_LENGTH = 300
MAX_DEPTH = 40

FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "log10": np.log10,
    "log2": np.log2, "sqrt": np.sqrt, "abs": np.abs, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh,
    "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan, "asin": np.arcsin, "acos": np.arccos,
    "atan": np.arctan, "floor": np.floor, "ceil": np.ceil, "sign": np.sign, "round": np.round,
    "sigmoid": sigmoid, "step": step, "relu": relu,
    "min": np.minimum, "max": np.maximum, "minimum": np.minimum, "maximum": np.maximum,
}
TWO_ARGUMENTS = {"min", "max", "minimum", "maximum"}
CONSTANTS = {"pi": np.pi, "e": np.e}

_BINARY = {
    ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide,
    ast.Pow: np.power, ast.Mod: np.mod,
}
_SYMBOL = {ast.BitXor: "^", ast.FloorDiv: "//", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&",
           ast.MatMult: "@"}

#: Targets offered as presets: name -> formula in x on [0, 1].
PRESETS_1D = {
    "book": "0.2 + 0.4*x**2 + 0.3*x*sin(15*x) + 0.05*cos(50*x)",
    "sin": "0.5 + 0.4*sin(2*pi*x)",
    "|x - 0.5|": "abs(x - 0.5)",
    "step": "0.2 + 0.6*step(x - 0.5)",
    "Gaussian": "0.1 + 0.8*exp(-(x - 0.5)**2 / (2*0.1**2))",
}
#: Two-input targets on [0, 1]^2.
PRESETS_2D = {
    "wave": "0.5 + 0.4*sin(2*pi*x)*cos(2*pi*y)",
    "Gaussian": "exp(-((x - 0.5)**2 + (y - 0.5)**2) / (2*0.15**2))",
    "x*y": "x*y",
    "ridge": "0.5 + 0.4*sin(3*x + 2*y)",
}


_TYPOGRAPHIC = (("^", "**"), ("\u2212", "-"), ("\u00d7", "*"), ("\u00b7", "*"), ("\u22c5", "*"),
                ("\u00b2", "**2"), ("\u00b3", "**3"))   # ^, minus sign, times, middle dots, squared, cubed


class FormulaError(ValueError):
    """A formula that cannot be used; the message is one sentence for the user."""


class Formula:
    """A parsed formula; call it with arrays for its variables (``f(x)`` or ``f(x, y)``)."""

    def __init__(self, text: str, variables=("x",)):
        self.text = text
        self.variables = tuple(variables)
        self._tree = _parse(text, self.variables)

    def __call__(self, *values):
        if len(values) != len(self.variables):
            raise TypeError(f"this formula takes {len(self.variables)} argument(s): {', '.join(self.variables)}")
        arrays = [np.asarray(v, dtype=float) for v in values]
        env = dict(zip(self.variables, arrays))
        with np.errstate(all="ignore"):
            result = np.asarray(_evaluate(self._tree.body, env), dtype=float)
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        return np.broadcast_to(result, shape).astype(float)

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


def parse_formula(text: str, variables=("x",), check_interval=(0.0, 1.0), check_points: int = 401) -> Formula:
    """Parse ``text`` and check it gives finite values on a grid over the interval (per variable).

    Raises :class:`FormulaError` saying what is wrong: a syntax error, a name or operation that
    is not allowed, a wrong number of arguments, or non-finite values (with where they occur).
    """
    formula = Formula(text, variables)
    if check_interval is not None:
        lo, hi = check_interval
        grid = np.linspace(lo, hi, check_points if len(variables) == 1 else 61)
        check_values(formula, *np.meshgrid(*([grid] * len(variables)), indexing="ij"))
    return formula


def check_values(formula: Formula, *axes, max_abs: float | None = None) -> np.ndarray:
    """Evaluate ``formula`` on the given arrays (one per variable) and return the values.

    Raises :class:`FormulaError` when a value is not finite (saying where) or, with ``max_abs``,
    when ``|value| > max_abs`` (too large to draw). A GUI checks a formula on the very points it
    will draw, so that a singularity the coarse check grid of :func:`parse_formula` missed
    (``1/(x - 1/1999)`` on 2,000 points) is refused as well.
    """
    axes = [np.asarray(a, dtype=float) for a in axes]
    try:
        values = formula(*axes)
    except FormulaError:
        raise
    except Exception as exc:  # a NumPy function refusing its input: still the user's formula
        raise FormulaError(f"cannot evaluate the formula: {exc}") from None
    full = np.broadcast_arrays(*axes, values)
    axes, values = full[:-1], full[-1]
    bad = ~np.isfinite(values)
    if np.any(bad):
        where = ", ".join(f"{v} = {a[bad].flat[0]:.6g}" for v, a in zip(formula.variables, axes))
        raise FormulaError(f"the formula is not finite at {where} (division by zero, log of 0 or overflow?)")
    if max_abs is not None:
        big = np.abs(values) > max_abs
        if np.any(big):
            where = ", ".join(f"{v} = {a[big].flat[0]:.3g}" for v, a in zip(formula.variables, axes))
            raise FormulaError(f"the formula reaches {values[big].flat[0]:.3g} at {where}: too large "
                               f"(at most {max_abs:g} in size)")
    return values


def _parse(text: str, variables) -> ast.Expression:
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("type a formula, for example 0.5 + 0.4*sin(2*pi*x)")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is too long (at most {MAX_LENGTH} characters)")
    # ^ means power here (as people write it), with power's precedence: rewrite before parsing;
    # so do the typographic signs people paste from the slides and the panel's own labels
    for typed, python in _TYPOGRAPHIC:
        text = text.replace(typed, python)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        col = f" near column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"cannot read the formula{col}: check brackets and operators") from None
    except ValueError:                # null bytes (Python < 3.12), lone surrogates
        raise FormulaError("the formula contains characters that cannot be read") from None
    _check(tree.body, variables, 0)
    return tree


def _check(node, variables, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError("the formula is nested too deeply")
    allowed = ", ".join(list(variables) + sorted(CONSTANTS))
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(f"only numbers are allowed as constants, not {node.value!r}")
    elif isinstance(node, ast.Name):
        if node.id not in variables and node.id not in CONSTANTS:
            if node.id in FUNCTIONS:
                raise FormulaError(f"{node.id} is a function: write {node.id}(...)")
            raise FormulaError(f"unknown name {node.id!r}; use {allowed}")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            sym = _SYMBOL.get(type(node.op), type(node.op).__name__)
            raise FormulaError(f"the operator {sym} is not allowed; use + - * / ** (or ^)")
        _check(node.left, variables, depth + 1)
        _check(node.right, variables, depth + 1)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise FormulaError("only unary minus and plus are allowed")
        _check(node.operand, variables, depth + 1)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise FormulaError(f"unknown function {name!r}; allowed: {', '.join(sorted(FUNCTIONS))}")
        if node.keywords:
            raise FormulaError(f"{node.func.id}() takes no keyword arguments")
        wanted = 2 if node.func.id in TWO_ARGUMENTS else 1
        if len(node.args) != wanted or any(isinstance(a, ast.Starred) for a in node.args):
            raise FormulaError(f"{node.func.id}() takes {wanted} argument{'s' if wanted > 1 else ''}")
        for arg in node.args:
            _check(arg, variables, depth + 1)
    elif isinstance(node, ast.Compare):
        raise FormulaError("comparisons are not allowed; use step(x - a) for a jump at a")
    else:
        raise FormulaError(f"{type(node).__name__.lower()} expressions are not allowed; use numbers, "
                           f"{', '.join(variables)}, + - * / ** and functions like sin(x)")


def _evaluate(node, env):
    if isinstance(node, ast.Constant):
        return np.float64(node.value)
    if isinstance(node, ast.Name):
        return env[node.id] if node.id in env else np.float64(CONSTANTS[node.id])
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, env), _evaluate(node.right, env))
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, env)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(_evaluate(a, env) for a in node.args))
    raise FormulaError("unexpected expression")  # unreachable: _check rejects it first
