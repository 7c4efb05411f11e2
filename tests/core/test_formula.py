"""The formula parser's checks on the points a panel draws (``check_values``), and more hostile input."""

import time

import numpy as np
import pytest

from explorer.core.formula import FormulaError, check_values, parse_formula


def test_check_values_finds_a_singularity_the_parse_grid_misses():
    f = parse_formula("1/(x - 1/1999)")             # finite on parse_formula's 401 check points
    x = np.linspace(0, 1, 2000)                     # ... but x[1] == 1/1999 exactly
    with pytest.raises(FormulaError, match=r"not finite at x = 0\.00050025"):
        check_values(f, x)
    assert np.array_equal(check_values(parse_formula("2*x"), x), 2 * x)


def test_check_values_size_limit_and_two_variables():
    with pytest.raises(FormulaError, match="too large"):
        check_values(parse_formula("x*1e300"), np.linspace(0, 1, 11), max_abs=1e6)
    g = parse_formula("1/(y - 0.01) + x", ("x", "y"))
    gx, gy = np.meshgrid(np.linspace(0, 1, 101), np.linspace(0, 1, 101), indexing="ij")
    with pytest.raises(FormulaError, match=r"not finite at x = 0, y = 0\.01"):
        check_values(g, gx, gy)
    const = check_values(parse_formula("0.5", ("x", "y")), gx, gy)     # constants broadcast to the grid
    assert const.shape == gx.shape


@pytest.mark.parametrize("text", [
    "9**9**9", "x**9**9**9 + 1e309", "(x).__class__.__mro__", "__builtins__", "sin.__globals__",
    "[c for c in ().__class__.__base__.__subclasses__()]", "(lambda: 0)()", "{x: 1}", "x if 1 else 0",
    "getattr(x, 'real')", "-" * 299 + "x", "sin(" * 50 + "x" + ")" * 50, "x" + "**x" * 150,
])
def test_hostile_formulas_are_refused_quickly(text):
    t0 = time.perf_counter()
    with pytest.raises(FormulaError):
        parse_formula(text)
    assert time.perf_counter() - t0 < 0.5


def test_approximate_1d_strict_false_clips_for_a_sigmoid_output():
    from explorer.core import sigmoid as sg

    with pytest.raises(ValueError, match="between 0 and 1"):
        sg.approximate_1d(lambda x: 2 * x, 4, 100.0, output_activation="sigmoid")
    net = sg.approximate_1d(lambda x: 2 * x, 4, 100.0, output_activation="sigmoid", strict=False)
    assert np.allclose(sg.network_heights(net),
                       sg.fit_heights(lambda x: 2 * x, 4, 100.0, output_activation="sigmoid", strict=False))


def test_typographic_signs_and_unreadable_characters():
    x = np.linspace(0, 1, 5)
    assert np.allclose(parse_formula("0.5 − 2×x·x + x² − x³")(x), 0.5 - 2 * x * x + x**2 - x**3)
    assert np.allclose(parse_formula("-x²")(x), -(x**2))
    for text in ("x\x00", "x + \ud800"):                 # ValueError / UnicodeError inside ast.parse
        with pytest.raises(FormulaError):
            parse_formula(text)
