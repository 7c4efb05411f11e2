"""Core tests for sigmoid neurons, bumps, universal approximation, towers and the formula parser."""

import warnings

import numpy as np
import pytest

from explorer.core import bumps2d, sigmoid as sg
from explorer.core.formula import PRESETS_1D, PRESETS_2D, FormulaError, parse_formula

BOOK = parse_formula(PRESETS_1D["book"])


def book_f(x):
    return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


# ------------------------------------------------------------------ sigmoid itself

def test_sigmoid_stable_without_warnings_for_any_finite_z():
    z = np.array([-1.7e308, -1e5, -745.0, -709.0, -40.0, -1.0, 0.0, 1.0, 40.0, 709.0, 1e5, 1.7e308])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s = sg.sigmoid(z)
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert s[6] == 0.5 and s[-1] == 1.0 and s[0] < 1e-300
    assert np.all(np.diff(s) >= 0)
    # accurate (relative) in the tails, where 1 - sigma(-z) would lose everything
    assert sg.sigmoid(-40.0) == pytest.approx(np.exp(-40) / (1 + np.exp(-40)), rel=1e-12)
    assert sg.sigmoid(3.0) + sg.sigmoid(-3.0) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_in_place_keeps_dtype_accuracy_and_stability(dtype):
    """sigmoid(z, out=z): in place, the same guarantees in float32; the engine's tanh form agrees (absolutely)."""
    from explorer.core.activations import get_activation
    info = np.finfo(dtype)
    z = np.array([-info.max, -1e5, -200.0, -87.0, -40.0, -3.0, 0.0, 3.0, 40.0, 87.0, 200.0, info.max], dtype)
    buffer = z.copy()
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        result = sg.sigmoid(buffer, out=buffer)
        engine = get_activation("sigmoid", dtype).apply_(z.copy())
    assert result is buffer and result.dtype == dtype
    # the training engine's faster tanh form (explorer.core.activations.Sigmoid) is accurate in absolute terms
    np.testing.assert_allclose(engine, result, rtol=0, atol=8 * np.finfo(np.float32).eps)
    assert np.all((result >= 0) & (result <= 1)) and np.all(np.diff(result) >= 0)
    assert result[6] == 0.5 and result[-1] == 1.0 and 0 <= result[0] < 2e-38
    exact = 1 / (1 + np.exp(-z[3:-3].astype(np.longdouble)))   # relative accuracy in the tails too
    np.testing.assert_allclose(result[3:-3], exact.astype(np.float64), rtol=4 * info.eps, atol=0)
    assert sg.sigmoid(np.ones(3, dtype)).dtype == dtype           # without out=: dtype kept too
    assert sg.sigmoid([1, 2]).dtype == np.float64


def test_sigmoid_scalar_and_derivative():
    assert isinstance(float(sg.sigmoid(0.0)), float)
    z = np.linspace(-6, 6, 101)
    h = 1e-6
    numeric = (sg.sigmoid(z + h) - sg.sigmoid(z - h)) / (2 * h)
    assert np.allclose(sg.sigmoid_prime(z), numeric, atol=1e-8)
    assert np.allclose(sg.inverse_sigmoid(sg.sigmoid(z)), z, atol=1e-9)


def test_step_position_and_bias():
    assert sg.step_position(10.0, -3.0) == pytest.approx(0.3)
    assert sg.step_position(0.0, 1.0) is None
    assert sg.step_position(-4.0, 2.0) == pytest.approx(0.5)
    assert sg.bias_for_step(20.0, 0.25) == -5.0
    assert sg.neuron(0.3, 10.0, sg.bias_for_step(10.0, 0.3)) == pytest.approx(0.5)


def test_gap_to_step_goes_to_zero_as_w_grows():
    gaps = [sg.max_gap_to_step(w, -w * 0.4, band=0.05) for w in (5, 20, 100, 1000)]
    assert all(a > b for a, b in zip(gaps, gaps[1:]))
    assert gaps[0] > 0.4 and gaps[-1] < 1e-20
    # analytic value sigma(-w * band), checked against brute force on a grid
    w, b = 37.0, -37.0 * 0.62
    x = np.linspace(0, 1, 200001)
    outside = np.abs(x - 0.62) >= 0.05
    brute = np.max(np.abs(sg.sigmoid(w * x + b) - sg.step(w * x + b))[outside])
    assert sg.max_gap_to_step(w, b, 0.05) == pytest.approx(brute, rel=1e-3)
    # step far outside the interval: the nearest interval end counts
    assert sg.max_gap_to_step(10.0, -10.0 * 2.0) == pytest.approx(float(sg.sigmoid(-10.0)))
    assert sg.max_gap_to_step(0.0, 0.0) == 0.5
    assert sg.max_gap_to_step(10.0, -5.0, band=1.0) == 0.0


def test_small_change_sigmoid_linear_perceptron_flips():
    c = sg.small_change(w=8.0, b=-4.0, x=0.5, db=0.01)          # at the step: z = 0
    assert c.sigmoid_delta == pytest.approx(c.linear_estimate, rel=1e-3)
    assert c.linear_estimate == pytest.approx(0.25 * 0.01)
    assert c.perceptron_delta == 1.0                             # 0 -> 1: a full flip
    far = sg.small_change(w=8.0, b=-4.0, x=0.9, dw=0.01)
    assert far.perceptron_delta == 0.0 and 0 < far.sigmoid_delta < 0.01


# ------------------------------------------------------------------ bumps and networks

def test_bump_from_two_neurons():
    net = sg.bump(0.4, 0.6, 0.8, steepness=1000.0)
    assert net.n_hidden == 2
    assert np.allclose(net.output_weights, [0.8, -0.8])
    assert np.allclose(-net.hidden_biases / net.hidden_weights, [0.4, 0.6])
    assert net([0.5])[0] == pytest.approx(0.8, abs=1e-6)
    assert np.allclose(net([0.1, 0.9]), 0.0, atol=1e-6)
    assert net.weighted_hidden([0.5]).shape == (1, 2)
    with pytest.raises(ValueError, match="s1"):
        sg.bump(0.7, 0.2, 1.0, 100.0)


def test_two_bumps_like_the_slide():
    net = sg.bumps_network([[0.4, 0.6], [0.7, 0.9]], [0.6, -0.3], steepness=2000.0)
    y = net(np.array([0.2, 0.5, 0.65, 0.8, 0.95]))
    assert np.allclose(y, [0, 0.6, 0, -0.3, 0], atol=1e-6)


def test_approximate_1d_contract_is_a_real_network():
    net = sg.approximate_1d(book_f, 7, 300.0, interval=(0.0, 2.0))
    for name in ("hidden_weights", "hidden_biases", "output_weights"):
        assert getattr(net, name).shape == (14,)
    assert isinstance(net.output_bias, float)
    x = np.linspace(-0.5, 2.5, 57)
    manual = sg.sigmoid(np.outer(x, net.hidden_weights) + net.hidden_biases) @ net.output_weights + net.output_bias
    assert np.array_equal(net(x), manual)


@pytest.mark.parametrize("f", [book_f, BOOK])
def test_book_function_error_below_001_with_100_bumps_and_falls(f):
    errors = [sg.approximation_error(sg.approximate_1d(f, n, 5000.0), book_f)[0] for n in (5, 10, 20, 50, 100)]
    assert errors[-1] < 0.01
    assert all(a > b for a, b in zip(errors, errors[1:]))


@pytest.mark.parametrize("name", ["sin", "|x - 0.5|", "Gaussian", "step"])
def test_other_targets_converge(name):
    f = parse_formula(PRESETS_1D[name])
    curve = sg.error_curve(f, [4, 16, 64], 5000.0)
    assert curve[-1] < 0.02 and curve[0] > curve[-1]
    if name != "step":          # the jump makes the step's error fall non-monotonically at low N
        assert curve[0] > curve[1] > curve[2]


def test_least_squares_heights_at_least_as_good_in_l2():
    x = np.linspace(0, 1, 4001)
    mean = sg.approximate_1d(book_f, 12, 200.0)
    lsq = sg.approximate_1d(book_f, 12, 200.0, method="lstsq")
    assert np.mean((lsq(x) - book_f(x)) ** 2) <= np.mean((mean(x) - book_f(x)) ** 2)
    with pytest.raises(ValueError, match="method"):
        sg.approximate_1d(book_f, 3, 10.0, method="magic")


def test_mean_heights_are_interval_means_and_ends_full_height():
    net = sg.approximate_1d(lambda x: x, 4, 5000.0)
    assert np.allclose(sg.network_heights(net), [0.125, 0.375, 0.625, 0.875])
    assert net(np.array([0.0, 1.0])) == pytest.approx([0.125, 0.875], abs=1e-3)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "step"])
def test_other_activations_same_construction(activation):
    net = sg.approximate_1d(book_f, 50, 5000.0, activation=activation)
    assert net.n_hidden == 50 * sg.units_per_bump(activation)
    assert np.allclose(sg.network_heights(net), sg.network_heights(sg.approximate_1d(book_f, 50, 5000.0)))
    assert sg.approximation_error(net, book_f)[0] < 0.015


def test_relu_step_is_difference_of_two_ramps():
    w, b, coef, const = sg.step_units([0.5], 40.0, "relu")
    assert w.shape == (2,) and np.allclose(coef, [1, -1])
    x = np.linspace(0, 1, 1001)
    s = sg.relu(np.outer(x, w) + b) @ coef + const.sum()
    assert np.all(np.diff(s) >= -1e-12)
    assert s[0] == 0 and s[-1] == 1
    assert np.max(np.diff(s) / np.diff(x)) == pytest.approx(10.0, rel=1e-6)  # slope k/4 = sigma'(0) k
    wt, bt, ct, kt = sg.step_units([0.5], 40.0, "tanh")
    assert np.allclose(sg.tanh(np.outer(x, wt) + bt) @ ct + kt.sum(), sg.sigmoid(40 * (x - 0.5)))


def test_sigmoid_output_fits_inverse_and_challenge():
    net = sg.approximate_1d(book_f, sg.CHALLENGE_BUMPS, 5000.0, output_activation="sigmoid")
    dev = sg.average_deviation(net, book_f)
    assert sg.challenge_passed(dev) and dev < 0.40
    x = np.linspace(0.05, 0.95, 11)
    assert np.allclose(net(x), sg.sigmoid(net.weighted_sum(x)))
    flat = sg.bumps_network(sg.bump_edges(5), np.zeros(5), 5000.0, output_activation="sigmoid")
    assert not sg.challenge_passed(sg.average_deviation(flat, book_f))
    with pytest.raises(ValueError, match="between 0 and 1"):
        sg.approximate_1d(lambda x: 2 * x, 5, 100.0, output_activation="sigmoid")


def test_core_bad_input_errors():
    with pytest.raises(ValueError, match="n_bumps"):
        sg.approximate_1d(book_f, 0, 100.0)
    with pytest.raises(ValueError, match="interval"):
        sg.approximate_1d(book_f, 3, 100.0, interval=(1.0, 0.0))
    with pytest.raises(ValueError, match="steepness"):
        sg.approximate_1d(book_f, 3, float("nan"))
    with pytest.raises(ValueError, match="not finite"):
        sg.approximate_1d(lambda x: 1 / (x - x), 3, 100.0)
    with pytest.raises(ValueError, match="activation"):
        sg.approximate_1d(book_f, 3, 100.0, activation="softplus")
    with pytest.raises(ValueError, match="edges"):
        sg.bumps_network([0, 1], [1, 2], 10.0)


# ------------------------------------------------------------------ two inputs

def test_step_bump_and_tower_2d():
    x, y = np.meshgrid(np.linspace(0, 1, 41), np.linspace(0, 1, 41), indexing="ij")
    sx = bumps2d.step_2d(x, y, 500.0, -250.0, "x")
    assert np.all(sx[x > 0.55] > 0.99) and np.all(sx[x < 0.45] < 0.01)
    assert np.allclose(bumps2d.step_2d(x, y, 500.0, -250.0, "y"), sx.T)
    total = bumps2d.bump_sum(x, y, (0.3, 0.6), (0.2, 0.5), 1000.0)
    inside = (np.abs(x - 0.45) < 0.1) & (np.abs(y - 0.35) < 0.1)
    arm = (np.abs(x - 0.45) < 0.1) & (y > 0.7)
    assert np.allclose(total[inside], 2, atol=1e-3) and np.allclose(total[arm], 1, atol=1e-3)
    t = bumps2d.tower(x, y, (0.3, 0.6), (0.2, 0.5), 1000.0)
    assert np.all(t[inside] > 0.99) and np.all(t[arm] < 0.01) and np.all(t[~inside & (x > 0.8)] < 0.01)


def test_grid_of_towers_approximates_and_improves():
    f = parse_formula(PRESETS_2D["wave"], ("x", "y"))
    nets = [bumps2d.approximate_2d(f, n, 2000.0) for n in (3, 6, 12)]
    errors = [bumps2d.error_2d(net, f)[0] for net in nets]
    assert errors[0] > errors[1] > errors[2] and errors[-1] < 0.05
    net = nets[1]
    assert net.hidden_sizes == (24, 36)
    xs, ys = np.linspace(0, 1, 7), np.linspace(0, 1, 5)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    assert np.allclose(net.grid(xs, ys), net(gx, gy))
    for k in (5.0, 300.0, 5000.0):                 # the fast grid matches the direct sum
        fine = np.linspace(0, 1, 53)
        fx, fy = np.meshgrid(fine, fine, indexing="ij")
        tn = bumps2d.approximate_2d(f, 5, k)
        assert np.allclose(tn.grid(fine, fine), tn(fx, fy), rtol=0, atol=1e-9)
    with pytest.raises(ValueError):
        bumps2d.approximate_2d(f, 0, 100.0)


# ------------------------------------------------------------------ formula parser

def test_formula_evaluates_presets_like_numpy():
    x = np.linspace(0, 1, 101)
    assert np.allclose(BOOK(x), book_f(x))
    for text in PRESETS_1D.values():
        assert parse_formula(text)(x).shape == x.shape
    g = parse_formula("x^2 + y * e - pi", ("x", "y"))
    assert g(2.0, 1.0) == pytest.approx(4 + np.e - np.pi)
    assert np.allclose(parse_formula("0.5")(x), 0.5)
    assert np.allclose(parse_formula("max(x, 0.5) - -x")(x), np.maximum(x, 0.5) + x)


@pytest.mark.parametrize("text, message", [
    ("", "type a formula"),
    ("sin(x", "cannot read"),
    ("__import__('os').system('echo hi')", "unknown function"),
    ("x.__class__", "not allowed"),
    ("open('f')", "unknown function"),
    ("np.sin(x)", "unknown function"),
    ("lambda: 1", "not allowed"),
    ("[x for x in ()]", "not allowed"),
    ("z + 1", "unknown name 'z'"),
    ("sin", "is a function"),
    ("sin(x, 2)", "takes 1 argument"),
    ("max(x)", "takes 2 arguments"),
    ("sin(x=1)", "keyword"),
    ("'a' * 3", "only numbers"),
    ("x > 0.5", "comparisons"),
    ("x // 2", "//"),
    ("1 / (x - 0.5)", "not finite at x = 0.5"),
    ("log(x)", "not finite at x = 0"),
    ("10 ** 10 ** 10", "not finite"),
    ("x" + " + x" * 200, "too long"),
])
def test_formula_rejects_with_clear_message(text, message):
    with pytest.raises(FormulaError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_formula(text)


def test_formula_never_executes_code(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FormulaError):
        parse_formula(f"__import__('pathlib').Path('{marker.name}').touch()")
    assert not marker.exists()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "step", "relu"])
def test_fast_sorted_evaluation_matches_exact(activation):
    x = np.linspace(-0.2, 1.2, 1500)
    tol = 1e-9 if activation == "relu" else 1e-12       # ReLU: cumulative sums of large slopes round
    for k in (3.0, 300.0, 5000.0):
        net = sg.approximate_1d(book_f, 40, k, activation=activation)
        assert np.allclose(net.weighted_sum_sorted(x), net.weighted_sum(x), atol=tol, rtol=0)
    rng = np.random.default_rng(1)
    w = rng.normal(size=30) * 200
    w[:4] = 0.0                                   # flat neurons, negative weights, any order
    net = sg.OneHiddenLayer(w, rng.normal(size=30) * 50, rng.normal(size=30), 0.25, activation,
                            "sigmoid")
    assert np.allclose(net.evaluate_sorted(x), net(x), atol=tol, rtol=0)
    shuffled = rng.permutation(x)                 # unsorted input falls back to the direct sum
    assert np.array_equal(net.weighted_sum_sorted(shuffled), net.weighted_sum(shuffled))


def test_fit_heights_network_from_heights_and_helpers():
    heights = sg.fit_heights(book_f, 8, 5000.0)
    assert np.allclose(heights, sg.network_heights(sg.approximate_1d(book_f, 8, 5000.0)))
    net = sg.network_from_heights(heights, 5000.0)
    assert np.allclose(net(sg.bump_centres(8)), heights, atol=1e-9)
    assert np.allclose(sg.bump_centres(4, (0.0, 2.0)), [0.25, 0.75, 1.25, 1.75])
    assert sg.abs_errors([1.0, 2.0, 4.0], [1.0, 1.0, 1.0]) == (pytest.approx(4 / 3), 3.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        sg.fit_heights(lambda x: 2 * x, 4, 100.0, output_activation="sigmoid")
    clipped = sg.fit_heights(lambda x: 2 * x, 4, 100.0, output_activation="sigmoid", strict=False)
    assert np.all(np.isfinite(clipped)) and clipped[-1] == pytest.approx(float(sg.inverse_sigmoid(0.999)))
