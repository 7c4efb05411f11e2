"""Core tests: perceptron, truth tables, exact separability, learning rule, NAND circuits, geometry."""

import itertools
import time

import numpy as np
import pytest

from explorer.core import nand
from explorer.core import perceptron_geometry as geo
from explorer.core.perceptron import (
    Perceptron,
    count_separable,
    find_weights,
    learn,
    learn_step,
    learning_steps,
    table_code,
    truth_table_inputs,
)
from explorer.core.perceptron_presets import preset_targets, presets


# --- Perceptron -------------------------------------------------------------------------------


def test_perceptron_bias_form_one_row_and_rows():
    p = Perceptron([1.0, 1.0], -1.5)  # AND
    assert p([1, 1]) == 1 and p([1, 0]) == 0
    assert isinstance(p([0, 0]), int)
    np.testing.assert_array_equal(p(truth_table_inputs(2)), [0, 0, 0, 1])
    assert p.weighted_sum([1, 0]) == pytest.approx(-0.5)


def test_output_zero_exactly_on_the_boundary():
    # the slide: output 0 if w.x + b <= 0; typed decimals behave as on paper
    assert Perceptron([1, 1], -2)([1, 1]) == 0
    assert Perceptron([0.1, 0.2], -0.3)([1, 1]) == 0
    assert Perceptron([0.1, 0.2], -0.3).weighted_sum([1, 1]) == 0.0
    assert Perceptron([0.1, 0.2], -0.29)([1, 1]) == 1


def test_threshold_form_is_minus_bias():
    p = Perceptron.from_threshold([2, 3], 4)
    assert p.bias == -4 and p.threshold == 4
    # output 1 iff sum_j w_j x_j > threshold
    for x in truth_table_inputs(2):
        assert p(x) == int(2 * x[0] + 3 * x[1] > 4)


def test_slide_nand_perceptron():
    np.testing.assert_array_equal(nand.NAND.truth_table(), [1, 1, 1, 0])
    assert nand.NAND([1, 1]) == 0


def test_perceptron_rejects_bad_input():
    with pytest.raises(ValueError, match="finite"):
        Perceptron([1, float("nan")], 0)
    with pytest.raises(ValueError, match="2 inputs"):
        Perceptron([1, 1], 0)([1, 0, 1])
    with pytest.raises(TypeError, match="bias"):
        Perceptron([1], "x")


def test_perceptron_is_immutable_and_comparable():
    p = Perceptron([1, 2], 3)
    with pytest.raises(ValueError):
        p.weights[0] = 5
    assert p.with_bias(-1) == Perceptron([1, 2], -1)
    assert p.with_weights([0, 0]).bias == 3
    assert "weights=[1, 2]" in repr(p)


# --- truth tables -----------------------------------------------------------------------------


def test_truth_table_inputs_binary_order_x1_most_significant():
    np.testing.assert_array_equal(truth_table_inputs(2), [[0, 0], [0, 1], [1, 0], [1, 1]])
    x = truth_table_inputs(4)
    assert x.shape == (16, 4) and x.dtype.kind == "i"
    for i, row in enumerate(x):
        assert int("".join(map(str, row)), 2) == i
    with pytest.raises(ValueError):
        truth_table_inputs(0)
    with pytest.raises(TypeError):
        truth_table_inputs(2.5)


# --- find_weights (exact) ---------------------------------------------------------------------


@pytest.mark.parametrize("n, expected", [(1, 4), (2, 14), (3, 104), (4, 1882)])
def test_counts_of_separable_tables(n, expected):
    assert count_separable(n) == expected


@pytest.mark.parametrize("n", [1, 2, 3])
def test_every_table_small_n(n):
    rows = 2**n
    found = 0
    for bits in itertools.product([0, 1], repeat=rows):
        p = find_weights(bits)
        if p is not None:
            found += 1
            np.testing.assert_array_equal(p.truth_table(), bits)
            assert np.all(p.weights == np.round(p.weights)) and np.abs(p.weights).max() <= 3
    assert found == count_separable(n)


def test_full_n4_sweep_fast_and_correct():
    start = time.perf_counter()
    x = truth_table_inputs(4)
    codes = np.arange(2**16)
    tables = (codes[:, None] >> np.arange(16)) & 1
    found = 0
    for t in tables:
        p = find_weights(t)
        if p is not None:
            found += 1
            assert np.array_equal(p(x), t)
    elapsed = time.perf_counter() - start
    assert found == 1882
    assert elapsed < 30, f"n = 4 sweep took {elapsed:.1f} s"


def test_find_weights_known_answers():
    p = find_weights([0, 0, 0, 1])
    assert p is not None and p.truth_table().tolist() == [0, 0, 0, 1]
    assert find_weights([0, 1, 1, 0]) is None  # XOR
    assert find_weights([1, 0, 0, 1]) is None  # XNOR
    assert find_weights(preset_targets("exactly two are 1", 3)) is None
    # smallest weights: AND needs only w = (1, 1)
    assert np.abs(p.weights).max() == 1


def test_find_weights_beyond_four_inputs_uses_exact_lp():
    x = truth_table_inputs(5)
    majority = (x.sum(axis=1) >= 3).astype(int)
    p = find_weights(majority)
    assert p is not None and np.array_equal(p(x), majority)
    assert np.all(p.weights == np.round(p.weights))
    assert find_weights(x.sum(axis=1) % 2) is None  # parity never separable


def test_find_weights_rejects_bad_tables():
    with pytest.raises(ValueError, match="2\\*\\*n"):
        find_weights([0, 1, 1])
    with pytest.raises(ValueError, match="0 and 1"):
        find_weights([0, 2, 1, 0])
    with pytest.raises(ValueError, match="1-D"):
        find_weights([[0, 1], [1, 0]])
    assert table_code([1, 0, 0, 1]) == 0b1001


# --- learning rule ----------------------------------------------------------------------------


def test_learn_step_applies_the_rule_on_first_wrong_row():
    p = Perceptron([0, 0], 0)  # outputs 0 everywhere
    new, row = learn_step(p, [0, 0, 0, 1])
    assert row == 3  # first wrong row: (1, 1), target 1, output 0 -> w += x, b += 1
    assert new == Perceptron([1, 1], 1)
    new2, row2 = learn_step(new, [0, 0, 0, 1], learning_rate=0.5)
    assert row2 == 0  # output at (0, 0) is now 1, target 0 -> b -= 0.5
    assert new2 == Perceptron([1, 1], 0.5)
    done, none = learn_step(Perceptron([1, 1], -1.5), [0, 0, 0, 1])
    assert none is None and done == Perceptron([1, 1], -1.5)


def test_learn_converges_on_separable_tables():
    for name, t in {**presets(2), **presets(3)}.items():
        result = learn(Perceptron(np.zeros(int(np.log2(len(t)))), 0), t, max_updates=500)
        separable = find_weights(t) is not None
        assert result.converged == separable, name
        if separable:
            assert np.array_equal(result.perceptron.truth_table(), t)
            assert "all rows right" in result.verdict


def test_learn_on_xor_stops_at_cap_with_not_separable_verdict():
    result = learn(Perceptron([0, 0], 0), [0, 1, 1, 0], max_updates=50)
    assert not result.converged and not result.separable and result.updates == 50
    assert "not linearly separable" in result.verdict


def test_learning_steps_generator_reports_rows():
    steps = list(learning_steps(Perceptron([0, 0], 0), [0, 1, 1, 1]))
    assert steps and all(0 <= row < 4 for _, row in steps)
    assert np.array_equal(steps[-1][0].truth_table(), [0, 1, 1, 1])


# --- presets ----------------------------------------------------------------------------------


def test_presets():
    assert list(presets(2)) == ["AND", "OR", "NAND", "NOR", "XOR", "XNOR"]
    p3 = presets(3)
    assert p3["all three are 1"].tolist() == [0, 0, 0, 0, 0, 0, 0, 1]
    assert p3["all three are 0"].tolist() == [1, 0, 0, 0, 0, 0, 0, 0]
    assert p3["exactly two are 1"].tolist() == [0, 0, 0, 1, 0, 1, 1, 0]
    assert p3["majority"].tolist() == [0, 0, 0, 1, 0, 1, 1, 1]
    assert p3["parity (odd number of 1s)"].tolist() == [0, 1, 1, 0, 1, 0, 0, 1]
    for n in (1, 4):
        for t in presets(n).values():
            assert len(t) == 2**n
    with pytest.raises(KeyError, match="choose one of"):
        preset_targets("XOR", 3)


# --- NAND circuits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("NOT", [[1], [0]]),
        ("AND", [[0], [0], [0], [1]]),
        ("OR", [[0], [1], [1], [1]]),
        ("XOR", [[0], [1], [1], [0]]),
        ("half adder", [[0, 0], [1, 0], [1, 0], [0, 1]]),  # (sum, carry)
    ],
)
def test_nand_circuits_truth_tables(name, expected):
    c = nand.circuit(name)
    x, out = c.truth_table()
    np.testing.assert_array_equal(out, expected)
    # every gate is the slide's NAND perceptron on the values it reads
    for row in x:
        values = c.evaluate(row)
        for gate in c.gates:
            a, b = (values[s] for s in gate.inputs)
            assert values[gate.name] == int(not (a and b))


def test_xor_uses_four_nands_and_adder_sums_bits():
    assert len(nand.circuit("XOR").gates) == 4
    adder = nand.circuit("half adder")
    for x1, x2 in itertools.product([0, 1], repeat=2):
        v = nand.evaluate_circuit(adder, [x1, x2])
        assert v["sum"] + 2 * v["carry"] == x1 + x2


def test_circuit_validation():
    with pytest.raises(ValueError, match="neither an input"):
        nand.NandCircuit("bad", ("x1",), (nand.Gate("g", ("x1", "y")),), ("g",))
    with pytest.raises(ValueError, match="2 inputs"):
        nand.circuit("XOR").evaluate([1])
    with pytest.raises(ValueError, match="0 or 1"):
        nand.circuit("XOR").evaluate([1, 2])
    with pytest.raises(KeyError):
        nand.circuit("MUX")
    assert nand.circuit("XOR").depth()["xor"] == 3


# --- geometry ---------------------------------------------------------------------------------


def test_threshold_point():
    assert geo.threshold_point(2, -1) == 0.5
    assert geo.threshold_point(0, 1) is None


def test_decision_segment_and_half_plane():
    box = (-0.5, 1.5, -0.5, 1.5)
    seg = geo.decision_segment([1, 1], -1.5, box)
    assert seg is not None
    for pt in seg:
        assert pt @ np.array([1, 1]) - 1.5 == pytest.approx(0)
    assert geo.decision_segment([1, 1], -10, box) is None
    assert geo.decision_segment([0, 0], 1, box) is None
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)
    half = geo.clip_half_plane(square, [1, 0], -0.5)
    assert np.all(half[:, 0] >= 0.5 - 1e-12) and len(half) == 4


def test_line_through_keeps_orientation_and_size():
    w, b = geo.line_through([0, 1], [1, 0], like_weights=[2, 2], decimals=None)
    assert np.hypot(*w) == pytest.approx(np.hypot(2, 2))
    assert w[0] > 0 and w[1] > 0
    assert w @ [0, 1] + b == pytest.approx(0) and w @ [1, 0] + b == pytest.approx(0)
    w, b = geo.line_through([0, 0.5], [1, 0.5], like_weights=[0, 0.1], decimals=1, min_length=2.0)
    assert w.tolist() == [0.0, 2.0] and b == -1.0
    feet = geo.project_onto_line([[0, 0], [2, 2]], [1, 1], -1)
    np.testing.assert_allclose(feet, [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="same place"):
        geo.line_through([1, 1], [1, 1], [1, 0])


def test_cube_section():
    sec = geo.cube_section([1, 1, 1], -1.5)  # hexagon
    assert sec.shape == (6, 3)
    np.testing.assert_allclose(sec.sum(axis=1), 1.5)
    assert geo.cube_section([1, 1, 1], -2.5).shape == (3, 3)
    assert geo.cube_section([1, 1, 1], 5).shape == (0, 3)
    assert len(geo.cube_edges()) == 12
    xy = geo.axonometric(geo.cube_corners())
    assert xy.shape == (8, 2)
    # all eight corners are drawn apart (the true isometric view would hide 000 behind 111)
    d = np.linalg.norm(xy[:, None] - xy[None, :], axis=2) + np.eye(8)
    assert d.min() > 0.2
    assert xy[0b001, 1] > xy[0b000, 1]  # x3 points up


def test_output_one_region_is_empty_when_every_output_is_zero():
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)
    # w = 0, b = 0: w.x + b > 0 nowhere, so nothing is shaded (the closed half-plane would be everything)
    assert geo.output_one_region(square, [0, 0], 0).shape == (0, 2)
    assert geo.output_one_region(square, [0, 0], -1).shape == (0, 2)
    np.testing.assert_array_equal(geo.output_one_region(square, [0, 0], 0.5), square)
    half = geo.output_one_region(square, [1, 0], -0.5)
    assert len(half) == 4 and np.all(half[:, 0] >= 0.5 - 1e-12)


def test_handle_points_keep_off_the_corners():
    corners = truth_table_inputs(2).astype(float)
    # find_weights' AND line x1 + x2 = 1 runs through (0, 1) and (1, 0): at 1/4 and 3/4 of its
    # segment in the view the handles would sit right on those corners and hide them
    seg = geo.decision_segment([1, 1], -1, (-0.5, 1.5, -0.5, 1.5))
    pts = geo.handle_points(seg, avoid=corners, min_gap=0.15)
    assert np.linalg.norm(pts[:, None] - corners[None], axis=2).min() >= 0.15
    np.testing.assert_allclose(pts @ [1, 1] - 1, 0, atol=1e-12)  # still on the line
    assert np.linalg.norm(pts[0] - pts[1]) > 0.5
    np.testing.assert_allclose(geo.handle_points([[0, 0], [4, 0]]), [[1, 0], [3, 0]])
