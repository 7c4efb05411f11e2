"""Counting bounds for ReLU linear regions: the issue's worked numbers and brute-force oracles."""

from itertools import product
from math import comb

import numpy as np
import pytest

from explorer.core.region_bounds import (
    depth_experiment_widths,
    line_arrangement_count,
    montufar2014_lower_bound,
    montufar2017_upper_bound,
    region_bounds,
    serra_upper_bound,
)


@pytest.mark.parametrize(
    "widths, first, serra, montufar17, montufar14",
    [((3, 3), 7, 40, 49, 7), ((4, 4), 11, 121, 121, 44), ((6, 6), 22, 484, 484, 198)],
)
def test_worked_numbers(widths, first, serra, montufar17, montufar14):
    b = region_bounds(widths)
    assert (b.first_layer, b.serra_upper, b.montufar2017_upper, b.montufar2014_lower) == (
        first, serra, montufar17, montufar14)


def test_serra_2_16_16_16():
    assert serra_upper_bound([16, 16, 16]) == 2_571_353


def _serra_brute(widths, n0):
    total = 0
    for js in product(*(range(0, n + 1) for n in widths)):
        cap, ok = n0, True
        for n, j in zip(widths, js):
            if j > min(cap, n):
                ok = False
                break
            cap = min(cap, n - j)
        if ok:
            total += np.prod([comb(n, j) for n, j in zip(widths, js)], dtype=object)
    return int(total)


def test_serra_matches_brute_force_enumeration_of_J():
    rng = np.random.default_rng(1)
    for _ in range(40):
        n0 = int(rng.integers(1, 4))
        widths = [int(w) for w in rng.integers(1, 6, size=rng.integers(1, 4))]
        assert serra_upper_bound(widths, n0) == _serra_brute(widths, n0), (widths, n0)


def test_bounds_are_ordered_and_exact_integers():
    for widths in [(1,), (2, 5), (3, 3, 3), (8, 4, 2), (24,), (12, 12), (8, 8, 8), (6, 6, 6, 6), (64,) * 6]:
        b = region_bounds(widths)
        assert isinstance(b.serra_upper, int)
        assert b.montufar2014_lower <= b.serra_upper <= b.montufar2017_upper
    # huge exact values, no float rounding
    big = serra_upper_bound([64] * 6)
    assert isinstance(big, int) and big > 2**53


def test_one_layer_is_the_line_arrangement():
    for n in range(1, 30):
        assert line_arrangement_count(n) == 1 + n + n * (n - 1) // 2
        assert serra_upper_bound([n]) == montufar2017_upper_bound([n]) == line_arrangement_count(n)
        assert montufar2014_lower_bound([n]) == line_arrangement_count(n)
    assert line_arrangement_count(3, 2) == 7
    assert line_arrangement_count(3, 1) == 4


def test_narrow_layer_caps_the_dimension():
    # a width-1 bottleneck: after it only 1 dimension remains, so Montufar'17 multiplies by sum_{j<=1}
    assert montufar2017_upper_bound([1, 5]) == 2 * (1 + 5)
    assert serra_upper_bound([1, 5]) == 1 * (1 + 5) + 1 * 1
    assert montufar2014_lower_bound([1, 5]) == 1  # floor(1/2) = 0: at least one region


def test_bad_widths_raise_clearly():
    with pytest.raises(ValueError, match="at least one hidden layer"):
        region_bounds([])
    with pytest.raises(ValueError, match="at least one unit"):
        serra_upper_bound([3, 0])


def test_depth_experiment_widths():
    assert depth_experiment_widths(24, (1, 2, 3, 4)) == [(24,), (12, 12), (8, 8, 8), (6, 6, 6, 6)]
    with pytest.raises(ValueError):
        depth_experiment_widths(24, (5,))


# --- counting a concrete network in the whole plane, and the geometry helpers -------------------

from explorer.core.region_bounds import iter_plane_count, regions_in_plane  # noqa: E402
from explorer.core.region_geometry import edge_segments, level_segments, line_handles, line_through  # noqa: E402
from explorer.core.regions import ReluNetwork, count_regions, region_set  # noqa: E402


def test_plane_count_of_generic_lines_is_the_arrangement_count():
    # 6 lines in general position whose crossings lie far outside the unit box
    rng = np.random.default_rng(4)
    W = rng.standard_normal((6, 2))
    b = rng.uniform(-5, 5, 6)
    net = ReluNetwork([W], [b])
    assert count_regions(net, (-1, 1, -1, 1)) < 22
    result = regions_in_plane(net)
    assert result.converged and result.count == line_arrangement_count(6) == 22
    # counts never decrease as the box grows, and the stopping rule saw `patience` equal counts
    counts = [c for _, c in result.history]
    assert counts == [22] * 4                              # the first square already held every crossing
    for seed in range(5):                                  # random generic lines: always exact
        net = ReluNetwork.random((9,), seed=seed, bias_scale=2.0, outputs=0)
        assert regions_in_plane(net).count == line_arrangement_count(9)


def test_plane_count_respects_the_bounds_and_the_generator_agrees():
    for seed in range(3):
        net = ReluNetwork.random((5, 5), seed=seed, bias_scale=0.5)
        steps = list(iter_plane_count(net))
        assert steps[-1] == regions_in_plane(net)
        b = region_bounds((5, 5))
        assert count_regions(net) <= steps[-1].count <= b.serra_upper


def test_parallel_lines_and_non_converging_runs():
    net = ReluNetwork([np.array([[1.0, 0.0]] * 3)], [np.array([-100.0, 0.0, 100.0])])  # x = 100, 0, -100
    assert regions_in_plane(net).count == 4
    assert regions_in_plane(net).box[1] >= 150          # started beyond the farthest line
    short = regions_in_plane(net, max_doublings=1)
    assert not short.converged and short.count == 4 and len(short.history) == 2
    with pytest.raises(ValueError, match="box"):
        regions_in_plane(net, box=(1, 0, 0, 1))


def test_edge_segments_lie_on_their_units_bent_hyperplane():
    net = ReluNetwork.random((4, 4), seed=3, bias_scale=0.3)
    rs = region_set(net, (-1, 1, -1, 1))
    segs, layer, unit = edge_segments(rs)
    assert segs.shape == (len(rs.vertices), 2, 2)
    for l, u in [(0, 2), (1, 2)]:
        pts = segs[(layer == l) & (unit == u)].reshape(-1, 2)
        z = net.preactivations(pts, layers=l + 1)[l][:, u]
        assert len(pts) and np.allclose(z, 0, atol=1e-9)
    box_pts = segs[layer < 0].reshape(-1, 2)
    assert np.all(np.isclose(np.abs(box_pts), 1).any(axis=1))


def test_level_segments_are_the_exact_zero_set():
    net = ReluNetwork.random((6, 6), seed=1, bias_scale=0.3)
    rs = region_set(net, (-1, 1, -1, 1))
    segs = level_segments(rs, 0, 0.0)
    assert len(segs) > 0
    assert np.allclose(net.forward(segs.reshape(-1, 2))[:, 0], 0, atol=1e-9)
    # midpoints too (it is a straight segment inside one region)
    assert np.allclose(net.forward(segs.mean(axis=1))[:, 0], 0, atol=1e-9)
    # every sign change of the output along a grid row is crossed by some segment
    xs = np.linspace(-1, 1, 2001)
    for y0 in (-0.5, 0.1, 0.7):
        f = net.forward(np.column_stack([xs, np.full_like(xs, y0)]))[:, 0]
        changes = np.flatnonzero(np.sign(f[:-1]) * np.sign(f[1:]) < 0)
        for k in changes:
            lo, hi = xs[k], xs[k + 1]
            (ax, ay), (bx, by) = segs[:, 0].T, segs[:, 1].T
            t = np.where(by != ay, (y0 - ay) / np.where(by != ay, by - ay, 1), -1)
            xc = ax + t * (bx - ax)
            assert np.any((t >= 0) & (t <= 1) & (xc >= lo - 1e-9) & (xc <= hi + 1e-9))
    hidden_only = region_set(ReluNetwork(net.weights, net.biases), (-1, 1, -1, 1))
    with pytest.raises(ValueError, match="no output"):
        level_segments(hidden_only)


def test_line_through_two_handles_keeps_norm_and_side():
    w0 = np.array([3.0, 4.0])
    w, b = line_through((0, 1), (1, 0), w0)
    assert np.isclose(np.hypot(*w), 5.0) and w @ w0 > 0
    assert np.isclose(w @ [0, 1] + b, 0) and np.isclose(w @ [1, 0] + b, 0)
    with pytest.raises(ValueError, match="same point"):
        line_through((1, 1), (1, 1), w0)
    h = line_handles(w, b, (-1, 1, -1, 1))
    assert h.shape == (2, 2) and np.allclose(h @ w + b, 0) and np.all(np.abs(h) <= 1)
    assert line_handles(np.array([1.0, 0.0]), -5.0, (-1, 1, -1, 1)) is None


def test_plane_count_stops_when_precision_makes_counts_drop(monkeypatch):
    import explorer.core.regions as regions_module

    counts = iter([10, 12, 13, 11, 50])
    monkeypatch.setattr(regions_module, "count_regions", lambda *a, **k: next(counts))
    net = ReluNetwork([np.array([[1.0, 0.0]])], [np.array([0.0])])
    result = regions_in_plane(net)
    assert (result.count, result.converged, result.reason) == (13, False, "precision")
    assert [c for _, c in result.history] == [10, 12, 13, 11]


# --- the exact whole-plane count (five projective charts) ---------------------------------------

from explorer.core.region_bounds import _chart_network, exact_plane_count, iter_exact_plane_count  # noqa: E402


def _union_of_boxes(net, halves=(1, 10, 1e2, 1e3, 1e4, 1e5)):
    seen = set()
    for h in halves:
        seen.update(p.tobytes() for p in region_set(net, (-h, h, -h, h), max_regions=400_000).patterns)
    return len(seen)


def test_exact_plane_count_finds_a_region_the_growing_box_misses():
    # 2-16-16-16, seed 0: two regions have vertices near (-3383, -1065), beyond the growing box's
    # 8x patience; the growing box settles at 1,042, every box up to 1e5 together shows 1,044.
    net = ReluNetwork.random((16, 16, 16), seed=0, bias_scale=0.1)
    assert regions_in_plane(net).count == 1042
    assert exact_plane_count(net) == _union_of_boxes(net) == 1044


def test_exact_plane_count_is_independent_of_the_chart_radius_and_of_any_view():
    net = ReluNetwork.random((6, 6, 6), seed=3, bias_scale=0.3)
    counts = {exact_plane_count(net, radius=r) for r in (0.05, 1.0, 7.0)}
    assert counts == {_union_of_boxes(net)}
    steps = list(iter_exact_plane_count(net))
    assert [c for c, _ in steps] == [1, 2, 3, 4, 5] and steps[-1][1] == exact_plane_count(net)
    assert all(a <= b for (_, a), (_, b) in zip(steps, steps[1:]))           # patterns only accumulate
    assert exact_plane_count(net, layers=1) == line_arrangement_count(6)   # generic lines: 22


def test_exact_plane_count_degenerate_networks():
    # lines through one point (zero biases): 2n sectors
    net = ReluNetwork([np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])], [np.zeros(3)])
    assert exact_plane_count(net) == 6
    # three parallel lines, a duplicate unit, a zero row: 4 strips
    W = np.array([[1.0, 0.0], [1.0, 0.0], [2.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    net = ReluNetwork([W], [np.array([-100.0, 0.0, 0.0, 100.0, 0.5])])
    assert exact_plane_count(net) == 4
    # integer weights and random deeper nets: the union of many boxes agrees
    rng = np.random.default_rng(1)
    for _ in range(4):
        ws, bs, fan_in = [], [], 2
        for n in (3, 4, 3):
            ws.append(rng.integers(-2, 3, (n, fan_in)).astype(float))
            bs.append(rng.integers(-1, 2, n).astype(float))
            fan_in = n
        net = ReluNetwork(ws, bs)
        assert exact_plane_count(net) == _union_of_boxes(net)


def test_chart_regions_carry_the_networks_own_patterns():
    # oracle: map each chart region's interior point back to the plane; the forward pass gives its pattern
    net = ReluNetwork.random((5, 5), seed=2, bias_scale=0.5)
    for face, sign in (("x1", 1.0), ("x1", -1.0), ("x2", 1.0), ("x2", -1.0)):
        chart, keep = _chart_network(net, face, sign, 1.0)
        rs = region_set(chart, (-1.0, 1.0, 0.0, 1.0))
        for i in range(len(rs)):
            s, t = rs[i].interior_point()
            x = (sign / t, s / t) if face == "x1" else (s / t, sign / t)
            assert np.array_equal(np.concatenate(net.pattern(np.array(x))), rs.patterns[i, keep])


def test_exact_plane_count_bad_input():
    net = ReluNetwork.random((3, 3), seed=0)
    with pytest.raises(ValueError, match="radius"):
        exact_plane_count(net, radius=0.0)
    with pytest.raises(ValueError, match="layers"):
        exact_plane_count(net, layers=3)
    from explorer.core.regions import RegionLimitExceeded

    with pytest.raises(RegionLimitExceeded):
        exact_plane_count(ReluNetwork.random((16, 16), seed=0), max_regions=50)
