"""Exact linear regions on degenerate weights: coincident, parallel, zero and extreme units; tiny regions; the cap."""


import numpy as np
import pytest

from explorer.core.regions import (ReluNetwork, RegionLimitExceeded, linear_regions, region_set)

from regions_oracles import BOX, box_area, canonical, check_regions, key, neighbour_check  # noqa: F401


# ----------------------------------------------------------------------------- degenerate weights

def test_zero_rows_duplicates_and_parallel_units():
    W = np.array([[1.0, 0.5], [0.0, 0.0], [0.0, 0.0], [1.0, 0.5], [-2.0, -1.0], [1.0, 0.5], [0.3, -1.0]])
    b = np.array([0.2, 0.0, 0.5, 0.2, -0.4, -0.6, 0.1])
    # unit 1 zero row / zero bias: never active; unit 2 zero row, bias > 0: always active;
    # unit 3 duplicates unit 0, unit 4 is unit 0 flipped (same line), unit 5 parallel to unit 0
    net = ReluNetwork([W], [b])
    rs = check_regions(net)
    assert len(rs) == 6                     # 3 distinct lines: two parallel, one crossing both
    assert not rs.patterns[:, 1].any() and rs.patterns[:, 2].all()
    assert np.array_equal(rs.patterns[:, 0], rs.patterns[:, 3])
    assert np.array_equal(rs.patterns[:, 0], ~rs.patterns[:, 4])
    assert rs.areas.min() > 1e-3


def test_lines_through_corners_and_existing_vertices():
    # the box diagonal through two corners, and three lines through one point (0.3, 0.2)
    W = np.array([[1.0, -1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = np.array([0.0, -0.3, -0.2, -0.5])
    rs = check_regions(ReluNetwork([W], [b]))
    assert rs.areas.min() > 1e-3
    diag_only = region_set(ReluNetwork([W[:1]], [b[:1]]))
    assert len(diag_only) == 2 and list(np.diff(diag_only.offsets)) == [3, 3]
    # 3 concurrent lines: 6 sectors; the diagonal misses (0.3, 0.2) and crosses 3 of them plus ...
    three = region_set(ReluNetwork([W[1:]], [b[1:]]))
    assert len(three) == 6
    # a second-layer unit whose bent hyperplane passes through the first layer's crossing (0.3, 0.2)
    W1 = np.array([[1.0, 0.0], [0.0, 1.0]])
    b1 = np.array([-0.3, -0.2])
    W2 = np.array([[1.0, -1.0], [2.0, 1.0]])
    b2 = np.array([0.0, -0.0])
    net = ReluNetwork([W1, W2], [b1, b2])
    rs = check_regions(net)
    assert rs.areas.min() > 1e-3


def test_zero_biases_all_lines_through_the_origin():
    net = ReluNetwork.random((9, 7, 5), seed=3, bias_scale=0.0)
    rs = check_regions(net)
    assert rs.areas.min() > 1e-6
    # positively homogeneous: the regions are cones from the origin, the same in every box around it
    small = check_regions(net, (-1e-3, 1e-3, -1e-3, 1e-3))
    assert canonical(small.regions()).keys() == canonical(rs.regions()).keys()
    first = region_set(net, layers=1)
    assert len(first) == 2 * 9               # n lines through one point: 2n sectors


def test_units_never_active_and_identically_zero_preactivations():
    # layer 1: unit 0 = x, unit 1 never active; layer 2: unit 0 = h_0 (identically 0 where x < 0), unit 1 = h_1
    W1 = np.array([[1.0, 0.0], [0.3, 0.1]])
    b1 = np.array([0.0, -5.0])
    W2 = np.array([[1.0, 0.0], [0.0, 1.0]])
    b2 = np.array([0.0, 0.0])
    net = ReluNetwork([W1, W2], [b1, b2])
    regs = sorted(linear_regions(net), key=lambda r: r.interior_point()[0])
    assert len(regs) == 2
    assert [list(p) for p in regs[0].pattern] == [[False, False], [False, False]]
    assert [list(p) for p in regs[1].pattern] == [[True, False], [True, False]]
    check_regions(net)


def test_a_tiny_region_is_kept():
    d = np.sqrt(2e-8)                          # triangle (0,0), (d,0), (0,d): area 1e-8
    W = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    b = np.array([0.0, 0.0, d])
    rs = check_regions(ReluNetwork([W], [b]))
    assert len(rs) == 7
    assert rs.areas.min() == pytest.approx(1e-8, rel=1e-6)
    # the same tiny triangle made by a second layer: lines bent by layer 1 still cut exactly
    net = ReluNetwork([np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[-1.0, -1.0]])],
                      [np.array([0.0, 0.0]), np.array([d])])
    rs = check_regions(net)
    tiny = rs.areas[rs.areas < 1e-6]
    assert len(tiny) == 1 and tiny[0] == pytest.approx(1e-8, rel=1e-6)


def test_a_thin_sliver_between_parallel_lines_is_kept():
    # x = 0 and x = 1e-8 (a strip of width 1e-8), crossed by y = 0.1: six regions, two of them slivers
    W = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    b = np.array([0.0, -1e-8, -0.1])
    rs = check_regions(ReluNetwork([W], [b]))
    assert len(rs) == 6
    slivers = np.sort(rs.areas[rs.areas < 1e-6])
    assert np.allclose(slivers, [0.9e-8, 1.1e-8], rtol=1e-6)
    # the same strip made by a second-layer unit
    net = ReluNetwork([np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0]])],
                      [np.array([0.0, -0.1]), np.array([-1e-8])])
    rs = check_regions(net)
    assert np.sort(rs.areas)[0] == pytest.approx(0.9e-8, rel=1e-6)


def test_region_cap_raises_a_clear_error():
    net = ReluNetwork.random((16, 16, 16), seed=0)
    with pytest.raises(RegionLimitExceeded, match="more than 50 linear regions"):
        linear_regions(net, max_regions=50)
    assert len(linear_regions(net, max_regions=930)) == 930
    import pickle
    err = pickle.loads(pickle.dumps(RegionLimitExceeded(50, 2)))
    assert err.max_regions == 50 and "hidden layer 3" in str(err)


@pytest.mark.parametrize("seed", range(8))
def test_integer_weights_full_of_coincidences(seed):
    # weights in {-1, 0, 1}, biases in {-0.5, 0, 0.5}: concurrent, duplicate, parallel and zero units
    # everywhere, lines along the box edges and through its corners, in every layer
    rng = np.random.default_rng(100 + seed)
    widths = [(6, 6, 6), (8, 5), (4, 4, 4, 4)][seed % 3]
    ws, bs, fan_in = [], [], 2
    for n in widths:
        ws.append(rng.integers(-1, 2, (n, fan_in)).astype(float))
        bs.append(rng.integers(-1, 2, n) * 0.5)
        fan_in = n
    net = ReluNetwork(ws, bs)
    rs = check_regions(net)
    assert rs.areas.min() > 1e-6                     # every region here is a polygon with simple corners
    check_regions(net, (-0.5, 1.0, -1.0, 0.5))


def test_extreme_unit_scales_and_a_box_far_from_the_origin():
    # rescaling units by 1e-6 .. 1e6 (outgoing weights by the inverse) changes no region:
    # the snapping tolerance is relative to each unit's own scale
    for seed in range(3):
        net = ReluNetwork.random((10, 10, 10), seed=seed, bias_scale=0.3)
        rng = np.random.default_rng(seed)
        W = [w.copy() for w in net.weights]
        b = [v.copy() for v in net.biases]
        ow = net.output_weights.copy()
        for l in range(3):
            a = 10.0 ** rng.uniform(-6, 6, W[l].shape[0])
            W[l] *= a[:, None]
            b[l] *= a
            if l + 1 < 3:
                W[l + 1] /= a[None, :]
            else:
                ow /= a[None, :]
        base = canonical(linear_regions(net))
        got = canonical(linear_regions(ReluNetwork(W, b, ow, net.output_bias)))
        assert got.keys() == base.keys()
        assert np.allclose([got[k] for k in base], list(base.values()), rtol=1e-7, atol=1e-12)
    # a box far from the origin: the same regions as the shifted network around the origin
    net = ReluNetwork.random((6, 6), seed=4, bias_scale=0.5)
    shift = np.array([100.0, -250.0])
    b0 = net.biases[0] - net.weights[0] @ shift        # z(x) = W (x - shift) + b
    moved = ReluNetwork([net.weights[0], net.weights[1]], [b0, net.biases[1]])
    far = check_regions(moved, (99.0, 101.0, -251.0, -249.0))
    assert canonical(far.regions()).keys() == canonical(linear_regions(net)).keys()
