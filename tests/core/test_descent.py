"""Gradient descent, SGD and the diagnostics of explorer.core.descent (no display needed)."""

import numpy as np
import pytest

from explorer.core.descent import (
    QuadraticBowl,
    Rosenbrock,
    Saddle,
    SigmoidNeuronCost,
    angle_versus_batch_size,
    diagnose,
    gradient_descent,
    gradient_discrepancy,
    good_learning_rate,
    make_surface,
    minibatch_statistics,
    predict_step,
    stochastic_gradient_descent,
    stopped_early,
)

BOWL = QuadraticBowl(1.0, 10.0)  # C = v1^2 + 10 v2^2, L = 20


def numeric_gradient(surface, v, h=1e-6):
    v = np.asarray(v, float)
    return np.array([(surface.cost(*(v + e)) - surface.cost(*(v - e))) / (2 * h) for e in np.eye(2) * h])


def numeric_hessian(surface, v, h=1e-5):
    v = np.asarray(v, float)
    return np.array([(surface.gradient(v + e) - surface.gradient(v - e)) / (2 * h) for e in np.eye(2) * h])


def test_exact_update_rule():
    path = gradient_descent(BOWL.gradient, (1.0, 1.0), 0.01, 3)
    assert path.shape == (4, 2)
    np.testing.assert_array_equal(path[0], [1.0, 1.0])
    v = np.array([1.0, 1.0])
    for k in range(1, 4):
        v = v - 0.01 * np.array([2 * v[0], 20 * v[1]])  # v' = v - eta grad C
        np.testing.assert_allclose(path[k], v, rtol=0, atol=1e-15)
    # closed form on the bowl: each coordinate shrinks by (1 - 2 a eta)
    np.testing.assert_allclose(path[3], [(1 - 0.02) ** 3, (1 - 0.2) ** 3], rtol=1e-14)


@pytest.mark.parametrize("eta", [0.01, 0.05, 0.09, 0.099])
def test_converges_below_two_over_L(eta):
    path = gradient_descent(BOWL.gradient, (2.0, 1.5), eta, 3000)
    assert len(path) == 3001
    assert np.linalg.norm(path[-1]) < 1e-6
    assert diagnose(BOWL, path, eta).kind == "converging"


@pytest.mark.parametrize("eta", [0.101, 0.11, 0.2])
def test_diverges_above_two_over_L(eta):
    path = gradient_descent(BOWL.gradient, (2.0, 1.5), eta, 200)
    # the v2 coordinate is multiplied by |1 - 20 eta| > 1 every step
    assert abs(path[-1, 1]) > abs(path[0, 1]) * abs(1 - 20 * eta) ** 200 * 0.99
    assert BOWL.cost(*path[-1]) > BOWL.cost(*path[0])
    assert diagnose(BOWL, path, eta).kind == "diverging"


def test_nonfinite_stops_cleanly_with_truncated_trajectory():
    with np.errstate(all="raise"):  # no hidden overflow inside either
        path = gradient_descent(BOWL.gradient, (1.0, 1.0), 5.0, 10_000)
    assert 1 < len(path) < 10_001
    assert stopped_early(path, 10_000)
    assert np.all(np.isfinite(path))
    # the last point is where the next step would overflow
    nxt = path[-1] - 5.0 * BOWL.gradient(path[-1])
    with np.errstate(all="ignore"):
        assert not np.all(np.isfinite(nxt))
    d = diagnose(BOWL, path, 5.0, stopped=True)
    assert d.kind == "diverging" and "2/L" in d.message


def test_nonfinite_gradient_stops_before_first_step():
    path = gradient_descent(lambda v: np.array([np.nan, 0.0]), (0.0, 0.0), 0.1, 5)
    assert path.shape == (1, 2)


def test_zero_steps_and_bad_arguments():
    assert gradient_descent(BOWL.gradient, (1, 2), 0.1, 0).shape == (1, 2)
    with pytest.raises(ValueError, match="learning rate"):
        gradient_descent(BOWL.gradient, (1, 2), -0.1, 3)
    with pytest.raises(ValueError, match="start"):
        gradient_descent(BOWL.gradient, (1, 2, 3), 0.1, 3)
    with pytest.raises(ValueError, match="steps"):
        gradient_descent(BOWL.gradient, (1, 2), 0.1, 2.5)
    data = SigmoidNeuronCost()
    with pytest.raises(ValueError, match="mini-batch size"):
        stochastic_gradient_descent(data.example_gradients, data.n_examples, (0, 0), 1.0, 3, 0)
    with pytest.raises(ValueError, match="unknown surface"):
        make_surface("moon")
    with pytest.raises(ValueError, match="positive"):
        QuadraticBowl(1.0, -1.0)


@pytest.mark.parametrize("surface", [BOWL, Rosenbrock(), Saddle(), SigmoidNeuronCost()], ids=lambda s: s.name)
def test_gradient_and_hessian_match_finite_differences(surface):
    for v in [(0.3, -0.7), (1.2, 0.4), (-0.5, 1.1)]:
        np.testing.assert_allclose(surface.gradient(v), numeric_gradient(surface, v), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(surface.hessian(v), numeric_hessian(surface, v), rtol=1e-4, atol=1e-6)


def test_minima_and_curvature():
    assert BOWL.curvature() == 20.0 and good_learning_rate(BOWL) == (0.05, 0.1)
    assert QuadraticBowl(1.0, 50.0).condition_number == 50.0
    r = Rosenbrock()
    np.testing.assert_allclose(r.gradient(r.minima[0]), 0, atol=1e-12)
    assert Saddle().is_saddle((0.0, 0.0)) and not Saddle().is_saddle((0.0, 1.0))
    data = SigmoidNeuronCost()
    w_b = data.minima[0]
    np.testing.assert_allclose(data.gradient(w_b), 0, atol=1e-10)
    assert np.all(np.linalg.eigvalsh(data.hessian(w_b)) > 0)
    # the minimum really is the lowest point of the grid
    _, _, z = data.cost_grid(60)
    assert data.min_cost <= z.min() + 1e-12


def test_data_cost_is_mean_of_example_costs():
    data = SigmoidNeuronCost()
    v = np.array([0.5, -1.0])
    assert data.cost(*v) == pytest.approx(data.example_costs(v).mean(), rel=1e-14)
    np.testing.assert_allclose(data.gradient(v), data.example_gradients(v).mean(axis=0), rtol=1e-14)
    grid = data.cost(np.array([[0.5, 1.0]]), np.array([[-1.0, 2.0]]))
    assert grid.shape == (1, 2) and grid[0, 0] == pytest.approx(data.cost(0.5, -1.0))


def test_sgd_with_m_equal_n_is_full_gradient_descent():
    data = SigmoidNeuronCost()
    full = gradient_descent(data.gradient, data.default_start, 20.0, 40)
    sgd = stochastic_gradient_descent(data.example_gradients, data.n_examples, data.default_start, 20.0, 40, data.n_examples, seed=3)
    np.testing.assert_allclose(sgd, full, rtol=0, atol=1e-12)


def test_sgd_is_reproducible_noisy_and_continues_a_generator():
    data = SigmoidNeuronCost()
    args = (data.example_gradients, data.n_examples, (0.0, 0.0), 20.0, 30, 4)
    a, b = stochastic_gradient_descent(*args, seed=1), stochastic_gradient_descent(*args, seed=1)
    np.testing.assert_array_equal(a, b)
    full = gradient_descent(data.gradient, (0.0, 0.0), 20.0, 30)
    assert np.abs(a - full).max() > 1e-3  # mini-batches of 4 really are noisy
    rng = np.random.default_rng(1)
    pieces = [stochastic_gradient_descent(*args[:2], (0.0, 0.0), 20.0, 1, 4, seed=rng)]
    for _ in range(29):
        pieces.append(stochastic_gradient_descent(*args[:2], pieces[-1][-1], 20.0, 1, 4, seed=rng))
    np.testing.assert_allclose(np.vstack([pieces[0][:1]] + [p[1:] for p in pieces]), a, atol=1e-12)


def test_sgd_stops_cleanly_on_nonfinite():
    calls = []

    def grads(v, idx):
        calls.append(1)
        return np.full((len(idx), 2), np.inf if len(calls) > 2 else 1.0)

    path = stochastic_gradient_descent(grads, 5, (0, 0), 0.1, 10, 2)
    assert path.shape == (3, 2) and np.all(np.isfinite(path))


def test_minibatch_gradient_mean_equals_full_gradient():
    """Averaged over all mini-batches, (1/m) sum_j grad C_Xj is exactly grad C (unbiased)."""
    data = SigmoidNeuronCost(n=6)
    v = np.array([0.3, 0.8])
    g = data.example_gradients(v)
    from itertools import combinations

    means = [g[list(c)].mean(axis=0) for c in combinations(range(6), 2)]
    np.testing.assert_allclose(np.mean(means, axis=0), data.gradient(v), rtol=1e-12)
    stats = minibatch_statistics(data.example_gradients, 6, v, 2, trials=4000, seed=0)
    np.testing.assert_allclose(stats.mean_gradient, data.gradient(v), rtol=0.05)


def test_angle_shrinks_as_m_grows():
    data = SigmoidNeuronCost()
    v = data.default_start
    angles = angle_versus_batch_size(data.example_gradients, data.n_examples, v, [1, 4, 12, 24], trials=300)
    assert angles[0] > angles[1] > angles[2] > angles[3]
    assert angles[-1] < 1e-6  # m = n: the mini-batch is the whole data set
    s1 = minibatch_statistics(data.example_gradients, data.n_examples, v, 1)
    s20 = minibatch_statistics(data.example_gradients, data.n_examples, v, 20)
    assert s1.mean_abs_length_difference > s20.mean_abs_length_difference


def test_gradient_discrepancy():
    assert gradient_discrepancy((1, 0), (0, 2)) == pytest.approx((90.0, -0.5))
    assert gradient_discrepancy((2, 2), (1, 1)) == pytest.approx((0.0, 1.0), abs=1e-6)
    assert all(np.isnan(gradient_discrepancy((1, 0), (0, 0))))


def test_first_order_prediction_good_for_small_eta_fails_for_big():
    v = np.array([1.0, 0.5])
    small = predict_step(BOWL, v, 0.001)
    g = BOWL.gradient(v)
    np.testing.assert_allclose(small.delta_v, -0.001 * g)
    assert small.predicted == pytest.approx(-0.001 * g @ g)
    assert small.relative_error < 0.02
    big = predict_step(BOWL, v, 0.12)  # past 2/L: C goes up although the formula says down
    assert big.predicted < 0 and big.cost_went_up and big.relative_error > 1


def test_diagnosis_crawling_oscillating_and_saddle():
    crawl = gradient_descent(BOWL.gradient, (2.0, 1.5), 0.0001, 40)
    d = diagnose(BOWL, crawl, 0.0001)
    assert d.kind == "crawling" and "tenth of 1/L" in d.message
    wobble = gradient_descent(BOWL.gradient, (2.0, 1.5), 0.095, 20)
    d = diagnose(BOWL, wobble, 0.095)
    assert d.kind == "oscillating" and "1/L" in d.message
    s = Saddle()
    stuck = gradient_descent(s.gradient, (1.5, 0.0), 0.1, 400)
    assert "saddle" in diagnose(s, stuck, 0.1).message.lower()
    assert diagnose(BOWL, crawl[:2], 0.0001).kind == "undecided"


def test_contour_segments_lie_on_the_level_set():
    from explorer.core.contours import contour_lines, contour_segments

    xs, ys = np.linspace(-2, 2, 81), np.linspace(-2, 2, 61)
    z = xs[:, None] ** 2 + ys[None, :] ** 2
    segs = contour_segments(xs, ys, z, 1.0)
    radii = np.linalg.norm(segs, axis=2)
    assert np.all(np.abs(radii - 1.0) < 0.01)  # endpoints on the unit circle (linear interpolation)
    length = np.linalg.norm(segs[:, 1] - segs[:, 0], axis=1).sum()
    assert length == pytest.approx(2 * np.pi, rel=1e-3)
    # a saddle cell (all four edges crossed) gives two segments, none crossing the cell centre badly
    s = contour_segments([0.0, 1.0], [0.0, 1.0], np.array([[1.0, -1.0], [-1.0, 1.0]]), 0.2)
    assert s.shape == (2, 2, 2)
    assert contour_segments(xs, ys, z, -1.0).shape == (0, 2, 2)  # level below the data: no line
    z_nan = z.copy()
    z_nan[:40] = np.nan
    assert np.all(contour_segments(xs, ys, z_nan, 1.0)[:, :, 0] >= xs[40])
    x, y = contour_lines(xs, ys, z, [0.5, 1.0])
    assert x.shape == y.shape and len(x) % 2 == 0
    with pytest.raises(ValueError, match="shape"):
        contour_segments(xs, ys, z.T, 1.0)


def test_a_bounded_cycle_is_oscillating_not_diverging():
    s = Saddle()
    path = gradient_descent(s.gradient, s.default_start, 0.3125, 2000)  # eta > 2/L: a 4-cycle in v2
    for end in range(1990, 2001):  # whatever the phase at which the run is looked at
        d = diagnose(s, path[:end], 0.3125)
        assert d.kind == "oscillating" and "without getting closer" in d.message


def test_first_order_curve_matches_predict_step_and_the_bowl_formula():
    from explorer.core.descent import first_order_curve

    v = np.array([1.0, 0.5])
    etas = np.array([0.0, 0.01, 0.05, 0.1, 0.12])
    predicted, actual = first_order_curve(BOWL, v, etas)
    for eta, p, a in zip(etas, predicted, actual):
        step = predict_step(BOWL, v, eta)
        assert p == pytest.approx(step.predicted) and a == pytest.approx(step.actual)
    # on the bowl: actual = sum_i a_i v_i^2 ((1 - 2 a_i eta)^2 - 1); zero again at eta = 2/L along v2 only
    exact = 1.0 * ((1 - 2 * etas) ** 2 - 1) * 1.0 + 10.0 * ((1 - 20 * etas) ** 2 - 1) * 0.25
    np.testing.assert_allclose(actual, exact, atol=1e-12)
    assert actual[-1] > 0 > predicted[-1]  # past 2/L: C rises, the formula still says it falls


def test_arguments_that_are_not_numbers_get_clear_messages():
    data = SigmoidNeuronCost()
    with pytest.raises(ValueError, match="learning rate eta must be a number"):
        gradient_descent(BOWL.gradient, (1, 2), "fast", 3)
    with pytest.raises(ValueError, match="steps must be a whole number"):
        gradient_descent(BOWL.gradient, (1, 2), 0.1, float("nan"))
    with pytest.raises(ValueError, match="start must be a point"):
        gradient_descent(BOWL.gradient, ("a", 1), 0.1, 3)
    with pytest.raises(ValueError, match="start must be finite"):
        predict_step(BOWL, (np.inf, 0.0), 0.1)
    with pytest.raises(ValueError, match="mini-batch size m must be a whole number"):
        stochastic_gradient_descent(data.example_gradients, data.n_examples, (0, 0), 1.0, 3, 2.5)
    with pytest.raises(ValueError, match="mini-batch size m"):
        minibatch_statistics(data.example_gradients, data.n_examples, (0, 0), 25)


def test_prediction_below_the_rounding_of_C_is_flagged():
    data = SigmoidNeuronCost()
    at_min = predict_step(data, data.minima[0], 20.0)
    assert at_min.cost == pytest.approx(data.min_cost)
    assert at_min.predicted != 0.0 and at_min.below_resolution  # |grad C . dv| ~ 1e-30 against C ~ 5e-3
    away = predict_step(data, (0.0, 0.0), 1.0)
    assert not away.below_resolution and away.relative_error < 0.5
    # the bowl converging towards C = 0 stays resolvable: C itself shrinks with the step
    near_zero = predict_step(BOWL, (1e-100, 1e-100), 0.01)
    assert not near_zero.below_resolution and near_zero.relative_error < 0.5


def test_diagnostics_module_stands_alone_and_is_re_exported():
    import subprocess
    import sys

    import explorer.core.descent as descent
    import explorer.core.descent_diagnostics as diagnostics

    for name in ("diagnose", "predict_step", "minibatch_statistics", "good_learning_rate", "StepPrediction"):
        assert getattr(descent, name) is getattr(diagnostics, name)
    # importing the diagnostics first (no circular import through explorer.core.descent)
    code = "import explorer.core.descent_diagnostics as d, explorer.core.descent as g; print(g.diagnose is d.diagnose)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "True", out.stderr
