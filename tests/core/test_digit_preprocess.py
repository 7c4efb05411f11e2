"""MNIST-style preprocessing of drawn digits: 20x20 box, centre of mass at the middle of 28x28."""

import numpy as np
import pytest

from explorer.core.digit_preprocess import center_of_mass, overlap_matrix, preprocess_digit
from explorer.core.training_curves import confusion_matrix, curve_rows, one_hot, smooth, write_csv_atomic


def _bar(shape, top, bottom, left, right):
    img = np.zeros(shape)
    img[top:bottom, left:right] = 1.0
    return img


def test_blank_drawing_gives_zeros():
    out = preprocess_digit(np.zeros((200, 200)))
    assert out.shape == (784,) and out.dtype == np.float32 and not out.any()


def test_small_corner_digit_is_scaled_to_20_box_and_centred():
    # a tall bar 40 px high, 10 px wide, drawn in the top-left corner of a 280 x 280 canvas
    img = _bar((280, 280), 5, 45, 5, 15)
    out = preprocess_digit(img).reshape(28, 28)
    rows = np.flatnonzero(out.sum(axis=1) > 1e-6)
    cols = np.flatnonzero(out.sum(axis=0) > 1e-6)
    assert rows[-1] - rows[0] + 1 == 20  # larger side is exactly 20 pixels
    assert 5 <= cols[-1] - cols[0] + 1 <= 6  # aspect kept: 10/40 * 20 = 5 (+1 for a partial edge)
    cy, cx = center_of_mass(out)
    assert cy == pytest.approx(14.0, abs=1e-6) and cx == pytest.approx(14.0, abs=1e-6)
    assert out.max() <= 1.0 and out.min() >= 0.0


def test_lopsided_digit_centre_of_mass_not_box_centre():
    # an L shape: heavy bottom bar; its centre of mass, not its box, goes to the middle
    img = _bar((100, 100), 10, 90, 10, 20) + _bar((100, 100), 80, 90, 10, 50)
    out = preprocess_digit(np.clip(img, 0, 1)).reshape(28, 28)
    cy, cx = center_of_mass(out)
    # pixel-centre sums differ from the exact continuous centre by a small discretisation error
    assert (cy, cx) == pytest.approx((14.0, 14.0), abs=0.05)
    rows = np.flatnonzero(out.sum(axis=1) > 1e-6)
    assert (rows[0] + rows[-1]) / 2 != pytest.approx(13.5, abs=0.6)  # box is off-centre


def test_area_resampling_keeps_total_ink_scaled():
    m = overlap_matrix(10, 28, 3.0, 2.0)  # upscale 2x: each input pixel covers 2 output pixels
    assert m.sum(axis=0) == pytest.approx(np.full(10, 2.0))
    m = overlap_matrix(100, 28, 4.0, 0.2)  # downscale 5x: every output pixel inside gets weight 1 total
    assert m[4:24].sum(axis=1) == pytest.approx(np.ones(20))


def test_bad_drawings_raise():
    with pytest.raises(ValueError, match="2-D"):
        preprocess_digit(np.zeros(784))
    with pytest.raises(ValueError, match="finite"):
        preprocess_digit(np.full((5, 5), np.nan))


def test_one_hot_matches_slide():
    assert one_hot(6).tolist() == [0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    with pytest.raises(ValueError):
        one_hot(10)


def test_smooth_and_confusion():
    s = smooth(np.array([1.0, 3.0, 5.0, 7.0]), window=2)
    assert s.tolist() == [1.0, 2.0, 4.0, 6.0]
    m = confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], n_classes=3)
    assert m.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]


def test_csv_written_atomically(tmp_path):
    rows = curve_rows(np.array([0.5, 0.4, 0.3, 0.2]), 2, 2, [(2, 0.5)], [(1, 0.6, 0.7), (2, 0.8, 0.9)])
    path = tmp_path / "c.csv"
    write_csv_atomic(path, ["a"] * 7, rows)
    lines = path.read_text().splitlines()
    assert lines[2] == "2,1,0.4,0.45,0.5,0.6,0.7"
    assert lines[3].startswith("3,2,0.3,") and lines[3].endswith(",,,")

    class Boom:
        def __iter__(self):
            raise OSError("disk full")

    with pytest.raises(OSError):
        write_csv_atomic(tmp_path / "d.csv", ["a"], Boom())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv"]
