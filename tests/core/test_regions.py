"""Oracle tests for the exact linear-region enumeration (explorer.core.regions)."""

import itertools

import numpy as np
import pytest

from explorer.core.regions import (ReluNetwork, count_regions, format_pattern,
                                   linear_regions, region_set)

from regions_oracles import BOX, box_area, canonical, check_regions, key, neighbour_check  # noqa: F401


NETS = [((3,), 0, "he"), ((8, 8), 1, "he"), ((6, 6, 6), 2, "pytorch"), ((10, 10, 10), 3, "he"),
        ((4, 4, 4, 4, 4, 4), 4, "he"), ((16, 16), 5, "pytorch")]


@pytest.mark.parametrize("widths,seed,init", NETS)
def test_invariants_on_random_networks(widths, seed, init):
    net = ReluNetwork.random(widths, seed=seed, init=init, bias_scale=0.3)
    rs = check_regions(net)
    neighbour_check(net, rs)


def test_benchmark_family_2_16_16_16():
    # He init, biases N(0, 0.1^2), as in benchmarks/regions_speed.py; regioncam counts 930 as well
    net = ReluNetwork.random((16, 16, 16), seed=0)
    rs = check_regions(net)
    assert len(rs) == 930
    neighbour_check(net, rs)


@pytest.mark.parametrize("widths,seed", [((8, 8, 8), 7), ((3, 5), 8), ((12, 12), 9)])
def test_every_grid_pattern_is_a_region(widths, seed):
    net = ReluNetwork.random(widths, seed=seed, bias_scale=0.2)
    regs = linear_regions(net, BOX)
    g = np.linspace(-1, 1, 401)[:-1] + np.sqrt(2) / 400   # an irrational offset: no point on a line by accident
    pts = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    packed = np.packbits(np.concatenate(net.pattern(pts), axis=1), axis=1)
    grid_keys = {bytes(row) for row in np.unique(packed.view(f"V{packed.shape[1]}").ravel())}
    region_keys = {np.packbits(np.concatenate(r.pattern)).tobytes() for r in regs}
    assert grid_keys <= region_keys
    assert len(grid_keys) >= 0.5 * len(region_keys)      # the grid sees most regions, not all


def arrangement_count(W, b, box):
    """1 + (lines meeting the box's interior) + (pairwise crossings inside the box)."""
    xmin, xmax, ymin, ymax = box
    corners = np.array([[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]])
    vals = corners @ W.T + b
    crossing = (vals.max(axis=0) > 0) & (vals.min(axis=0) < 0)
    inside = 0
    for i, j in itertools.combinations(range(len(W)), 2):
        p = np.linalg.solve(np.array([W[i], W[j]]), -np.array([b[i], b[j]]))
        inside += bool(xmin < p[0] < xmax and ymin < p[1] < ymax)
    return 1 + int(crossing.sum()) + inside


@pytest.mark.parametrize("seed", range(6))
def test_first_layer_is_a_line_arrangement(seed):
    rng = np.random.default_rng(seed)
    n = [1, 2, 5, 9, 14, 25][seed]
    W, b = rng.normal(size=(n, 2)), rng.normal(scale=0.8, size=n)
    net = ReluNetwork([W], [b])
    assert count_regions(net) == arrangement_count(W, b, BOX)
    check_regions(net)


def test_slide_three_hyperplanes_make_seven_regions():
    W = np.array([[1.0, 0.2], [-0.3, 1.0], [1.0, 1.0]])
    b = np.array([0.1, -0.2, 0.3])
    regs = linear_regions(ReluNetwork([W], [b]))
    assert len(regs) == 7
    # 7 of the 8 sign patterns of 3 lines in general position (the bounded triangle's opposite is missing)
    assert len({key(r.pattern) for r in regs}) == 7
    assert count_regions(ReluNetwork([W], [b]), (-100, 100, -100, 100)) == 7


def test_permuting_and_rescaling_units_changes_nothing():
    net = ReluNetwork.random((7, 6, 5), seed=11, bias_scale=0.3)
    base = canonical(linear_regions(net))
    rng = np.random.default_rng(0)
    perms = [rng.permutation(n) for n in net.widths]
    W = [w.copy() for w in net.weights]
    b = [v.copy() for v in net.biases]
    ow = net.output_weights.copy()
    for l, p in enumerate(perms):
        W[l], b[l] = W[l][p], b[l][p]
        if l + 1 < len(W):
            W[l + 1] = W[l + 1][:, p]
        else:
            ow = ow[:, p]
    permuted = ReluNetwork(W, b, ow, net.output_bias)
    got = canonical(linear_regions(permuted), perms)
    assert got.keys() == base.keys()
    assert np.allclose([got[k] for k in base], list(base.values()), rtol=1e-9, atol=1e-12)
    # rescale unit 2 of layer 0 and unit 3 of layer 1 by a > 0, their outgoing weights by 1/a
    W = [w.copy() for w in net.weights]
    b = [v.copy() for v in net.biases]
    for l, i, a in [(0, 2, 7.5), (1, 3, 0.01)]:
        W[l][i] *= a
        b[l][i] *= a
        W[l + 1][:, i] /= a
    scaled = ReluNetwork(W, b, net.output_weights, net.output_bias)
    got = canonical(linear_regions(scaled))
    assert got.keys() == base.keys()
    assert np.allclose([got[k] for k in base], list(base.values()), rtol=1e-9, atol=1e-12)
    # the output is the same function, and each region's output map too
    pts = np.random.default_rng(1).uniform(-1, 1, (50, 2))
    assert np.allclose(scaled.forward(pts), net.forward(pts))


def test_smaller_box_never_has_more_regions():
    for seed in range(3):
        net = ReluNetwork.random((8, 8, 8), seed=seed, bias_scale=0.5)
        boxes = [(-2, 2, -2, 2), (-1, 1, -1, 1), (-0.5, 0.7, -0.3, 0.9), (0.1, 0.5, 0.2, 0.4), (0.2, 0.21, 0.3, 0.31)]
        counts = [count_regions(net, bx) for bx in boxes]
        assert all(a >= b for a, b in zip(counts, counts[1:])), counts


# ----------------------------------------------------------------------------- API details

def test_layer_by_layer_view_and_outputs():
    net = ReluNetwork.random((5, 6, 4), seed=5, bias_scale=0.3, outputs=2)
    full = region_set(net)
    assert full.A.shape == (len(full), 4 + 2, 2) and full.n_hidden == 4
    r = full[0]
    assert r.output_affine[0].shape == (2, 2) and r.hidden_affine[0].shape == (4, 2)
    counts = []
    for l in (1, 2, 3):
        rs = check_regions(net, layers=l)
        assert rs.n_layers == l and rs.patterns.shape[1] == sum(net.widths[:l])
        if l < 3:                                          # outputs only once every layer is computed
            assert rs.A.shape[1] == net.widths[l - 1] and rs[0].output_affine is None
        else:
            assert rs.A.shape[1] == 4 + 2
        counts.append(len(rs))
    assert counts == sorted(counts) and counts[-1] == len(full)
    # each layer only refines the previous one: every layer-l region lies in one layer-(l-1) region
    prev = {key(r.pattern) for r in linear_regions(net, layers=1)}
    assert {key(r.pattern[:1]) for r in linear_regions(net, layers=2)} == prev


def test_edge_tags_and_flat_form():
    net = ReluNetwork.random((6, 6), seed=2, bias_scale=0.3)
    rs = region_set(net)
    assert rs.vertices.shape == (rs.offsets[-1], 2) and rs.edge_layer.shape == rs.edge_unit.shape == (len(rs.vertices),)
    on_box = rs.edge_layer < 0
    assert np.all(rs.edge_unit[on_box] == -1)
    V = rs.vertices
    nxt = np.arange(1, len(V) + 1)
    nxt[rs.offsets[1:] - 1] = rs.offsets[:-1]
    # a box edge lies on the box; a unit's edge lies on that unit's zero set
    mid = 0.5 * (V + V[nxt])
    on_side = np.isclose(mid[:, 0], -1) | np.isclose(mid[:, 0], 1) | np.isclose(mid[:, 1], -1) | np.isclose(mid[:, 1], 1)
    assert np.all(on_side[on_box])
    zs = net.preactivations(mid)
    for i in np.flatnonzero(~on_box):
        assert abs(zs[rs.edge_layer[i]][i, rs.edge_unit[i]]) < 1e-9
    assert set(rs.edge_layer[~on_box]) == {0, 1}
    # hashes depend on the pattern only; locate finds the region holding a point
    h = rs.pattern_hashes()
    assert len(np.unique(h)) == len(rs)
    for i in (0, len(rs) // 2, len(rs) - 1):
        assert rs.locate(rs[i].interior_point()) == i
    assert rs.locate([5.0, 5.0]) == -1


def test_format_pattern_is_one_based_like_the_slides():
    pat = (np.array([True, False, True, True]), np.array([False, True, False, True]))
    assert format_pattern(pat) == "S^1 = {1, 3, 4}, S^2 = {2, 4}"


def test_bad_input_raises_clear_errors():
    net = ReluNetwork.random((3,), seed=0)
    with pytest.raises(ValueError, match="xmin < xmax"):
        linear_regions(net, (1, -1, -1, 1))
    with pytest.raises(ValueError, match="box"):
        linear_regions(net, (0, 1, 0))
    with pytest.raises(ValueError, match="layers"):
        linear_regions(net, BOX, layers=2)
    with pytest.raises(ValueError, match="2 inputs"):
        ReluNetwork([np.ones((3, 3))], [np.zeros(3)])
    with pytest.raises(ValueError, match=r"biases\[1\]"):
        ReluNetwork([np.ones((3, 2)), np.ones((2, 3))], [np.zeros(3), np.zeros(3)])
    with pytest.raises(ValueError, match="non-finite"):
        ReluNetwork([[[np.nan, 1.0]]], [[0.0]])
    edited = ReluNetwork.random((3, 3), seed=0)
    edited.weights[1][0, 2] = np.inf                  # edited in place after construction
    with pytest.raises(ValueError, match=r"weights\[1\].*non-finite"):
        linear_regions(edited)
    with pytest.raises(ValueError, match="init"):
        ReluNetwork.random((3,), init="xavier")


def test_random_initialisations():
    he = ReluNetwork.random((400, 400), seed=0, init="he", bias_scale=0.1, outputs=0)
    assert he.n_outputs == 0 and he.widths == (400, 400)
    assert np.std(he.weights[1]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert np.std(he.biases[1]) == pytest.approx(0.1, rel=0.15)
    pt = ReluNetwork.random((400, 400), seed=0, init="pytorch")
    assert np.abs(pt.weights[1]).max() <= 1 / 20 and np.abs(pt.weights[1]).max() > 0.98 / 20
    assert np.abs(pt.biases[1]).max() <= 1 / 20
    same = ReluNetwork.random((400, 400), seed=0, init="pytorch")
    assert np.array_equal(same.weights[0], pt.weights[0])
    assert pt.n_outputs == 1 and pt.forward(np.zeros((3, 2))).shape == (3, 1)


def test_agrees_with_regioncam_if_installed():
    regioncam = pytest.importorskip("regioncam")
    for widths, seed in [((16, 16, 16), 0), ((12, 12), 1)]:
        net = ReluNetwork.random(widths, seed=seed)
        rc = regioncam.Regioncam(size=1)
        for w, b in zip(net.weights, net.biases):
            rc.linear(w.T.astype(np.float32), b.astype(np.float32))
            rc.relu()
        assert abs(rc.num_faces - count_regions(net)) <= max(2, 0.002 * rc.num_faces)


def test_drawing_helpers():
    net = ReluNetwork.random((5, 5), seed=6, bias_scale=0.3, outputs=1)
    rs = region_set(net)
    tri, region = rs.triangles()
    assert len(tri) == int(np.sum(np.diff(rs.offsets) - 2))
    P = rs.vertices[tri]
    tri_area = 0.5 * ((P[:, 1, 0] - P[:, 0, 0]) * (P[:, 2, 1] - P[:, 0, 1])
                      - (P[:, 1, 1] - P[:, 0, 1]) * (P[:, 2, 0] - P[:, 0, 0]))
    assert np.all(tri_area > -1e-15)
    assert np.allclose(np.bincount(region, tri_area, minlength=len(rs)), rs.areas)
    # the output surface at the vertices equals the network's output there (continuous, piecewise linear)
    assert np.allclose(rs.vertex_values(rs.n_hidden), net.forward(rs.vertices)[:, 0], atol=1e-9)
    # a unit's bent hyperplane: its segments lie on its zero set
    seg = rs.edge_segments(1, 2)
    assert len(seg) > 0
    assert np.allclose(net.preactivations(seg.reshape(-1, 2))[1][:, 2], 0, atol=1e-9)
    assert len(rs.edge_segments()) == int(np.sum(rs.edge_layer >= 0))


def test_weights_too_large_for_float64_raise_a_clear_error():
    # 1e308 passes the finiteness check but its products overflow: before, 27 regions came back
    # silently with inf/nan affine maps
    net = ReluNetwork.random((3, 3, 3), seed=2, bias_scale=0.3)
    for layer in range(3):
        bad = net.copy()
        bad.weights[layer][0, 0] = 1e308
        with pytest.raises(ValueError, match=f"hidden layer {layer + 1} are too large for float64"):
            region_set(bad)
    bad = net.copy()
    bad.output_weights[0] = -1e308
    with pytest.raises(ValueError, match="outputs are too large"):
        region_set(bad)
    fine = net.copy()
    fine.weights[1][0, 0] = 1e250                       # large but representable: enumerated exactly
    rs = region_set(fine)
    assert np.isfinite(rs.A).all() and np.isclose(rs.areas.sum(), 4.0)
