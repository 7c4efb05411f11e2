"""Oracle checks shared by the linear-region tests: areas, convexity, patterns, neighbours."""

import numpy as np

from explorer.core.regions import region_set

BOX = (-1.0, 1.0, -1.0, 1.0)


def box_area(box):
    return (box[1] - box[0]) * (box[3] - box[2])


def key(pattern):
    return np.concatenate(pattern).tobytes()


def check_regions(net, box=BOX, layers=None, rs=None):
    """The invariants every enumeration must satisfy; returns the RegionSet."""
    rs = region_set(net, box, layers) if rs is None else rs
    regs = rs.regions()
    assert len(regs) == len(rs) >= 1
    # areas sum to the box area, all positive (no slivers), and agree with the shoelace of the vertices
    areas = np.array([r.area for r in regs])
    assert np.all(areas > 0)
    assert abs(areas.sum() - box_area(box)) <= 1e-9 * box_area(box)
    L = net.n_layers if layers is None else layers
    for r in regs:
        V = r.vertices
        assert V.dtype == np.float64 and V.ndim == 2 and V.shape[1] == 2 and len(V) >= 3
        e = np.roll(V, -1, axis=0) - V
        assert np.all(np.abs(e).sum(axis=1) > 0), "repeated vertex"
        turn = e[:, 0] * np.roll(e, -1, axis=0)[:, 1] - e[:, 1] * np.roll(e, -1, axis=0)[:, 0]
        scale = np.abs(e).sum(axis=1) * np.roll(np.abs(e).sum(axis=1), -1)
        assert np.all(turn >= -1e-9 * scale), "not convex / not counter-clockwise"
        assert np.all(V[:, 0] >= box[0] - 1e-12) and np.all(V[:, 0] <= box[1] + 1e-12)
        assert np.all(V[:, 1] >= box[2] - 1e-12) and np.all(V[:, 1] <= box[3] + 1e-12)
        assert len(r.pattern) == L and all(p.dtype == bool for p in r.pattern)
        assert r.edge_tags.shape == (len(V), 2)
    # patterns unique
    keys = [key(r.pattern) for r in regs]
    assert len(set(keys)) == len(keys)
    # forward pass at an interior point: the stored pattern and the stored affine map's values
    pts = np.array([r.interior_point() for r in regs])
    zs = net.preactivations(pts, layers)
    for l in range(L):
        stored = np.array([r.pattern[l] for r in regs])
        clear = np.abs(zs[l]) > 1e-12        # else z is identically 0 on the region (rounding aside): inactive
        assert np.array_equal((zs[l] > 0)[clear], stored[clear])
        assert not stored[~clear].any()
    want = net.preactivations(pts, layers)[-1]
    if L == net.n_layers and net.n_outputs:
        want = np.concatenate([want, net.forward(pts)], axis=1)
    got = np.einsum("pmk,pk->pm", rs.A, pts) + rs.c
    assert np.allclose(got, want, rtol=1e-9, atol=1e-9)
    return rs


def neighbour_check(net, rs, delta=1e-7):
    """Just across each edge (not on the box) the pattern differs in exactly the edge's unit."""
    checked = 0
    offsets = np.cumsum((0,) + rs.widths)[:-1]
    for r in rs.regions():
        V = r.vertices
        W = np.roll(V, -1, axis=0)
        for j in range(len(V)):
            layer, unit = r.edge_tags[j]
            if layer < 0:
                continue
            e = W[j] - V[j]
            length = np.hypot(*e)
            if length < 1e-4:
                continue
            mid = 0.5 * (V[j] + W[j])
            normal = np.array([e[1], -e[0]]) / length        # outward for a counter-clockwise polygon
            inside = np.concatenate(net.pattern(mid - delta * normal, rs.n_layers))
            outside = np.concatenate(net.pattern(mid + delta * normal, rs.n_layers))
            assert np.array_equal(inside, np.concatenate(r.pattern))
            diff = np.flatnonzero(inside != outside)
            assert list(diff) == [offsets[layer] + unit]
            checked += 1
    assert checked > 0


def canonical(regs, perms=None):
    out = {}
    for r in regs:
        pat = [p if perms is None or perms[l] is None else p[np.argsort(perms[l])] for l, p in enumerate(r.pattern)]
        out[key(pat)] = r.area
    return out
