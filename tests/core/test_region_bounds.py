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
