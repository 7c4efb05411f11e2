"""Turn a hand-drawn digit into an MNIST-style input vector (slide "MNIST data").

MNIST's digits were made this way (LeCun et al.): each digit was scaled, keeping its aspect
ratio, to fit a 20 x 20 pixel box (anti-aliased, so grey levels appear at the edges), then
placed in a 28 x 28 field so that its centre of mass sits at the centre of the field. A digit
drawn on a canvas must go through the same steps before the network sees it, or a digit drawn
small in a corner looks nothing like what the network was trained on.

Pure NumPy, no Qt. The resampling is exact area averaging: every output pixel is the mean ink
over the patch of the drawing it covers, computed as ``R @ image @ C.T`` with two small
overlap matrices, so a 280 x 280 drawing costs two small matrix products.
"""

from __future__ import annotations

import numpy as np

FIELD = 28  # MNIST images are 28 x 28
BOX = 20  # the digit's larger side is scaled to 20 pixels
INK_THRESHOLD = 0.05  # pixels fainter than this do not count towards the bounding box


def overlap_matrix(n_in: int, n_out: int, offset: float, scale: float) -> np.ndarray:
    """Weights ``W[j, i]`` = length of ``[j, j+1]`` intersected with input pixel i's footprint.

    Input pixel ``i`` covers ``[offset + i*scale, offset + (i+1)*scale]`` in output units, so
    ``W @ v`` resamples a row of intensities by area averaging (each output pixel has area 1).
    """
    edges_in = offset + scale * np.arange(n_in + 1, dtype=np.float64)
    lo_in, hi_in = edges_in[:-1], edges_in[1:]
    lo_out = np.arange(n_out, dtype=np.float64)[:, None]
    overlap = np.minimum(lo_out + 1.0, hi_in[None, :]) - np.maximum(lo_out, lo_in[None, :])
    return np.clip(overlap, 0.0, None)


def bounding_box(image: np.ndarray, threshold: float = INK_THRESHOLD) -> tuple[int, int, int, int] | None:
    """``(top, bottom, left, right)`` (bottom/right exclusive) of the pixels above ``threshold``, or None."""
    rows = np.flatnonzero((image > threshold).any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero((image > threshold).any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """Centre of mass ``(y, x)`` of an intensity image, in continuous pixel coordinates.

    Pixel ``(i, j)`` covers ``[i, i+1] x [j, j+1]``, so its centre is ``(i + 0.5, j + 0.5)``:
    ``y = sum_i sum_j I[i, j] (i + 0.5) / sum I``, likewise for x. A blank image gives the middle.
    """
    image = np.asarray(image, dtype=np.float64)
    total = image.sum()
    h, w = image.shape
    if total <= 0:
        return h / 2.0, w / 2.0
    y = float((image.sum(axis=1) * (np.arange(h) + 0.5)).sum() / total)
    x = float((image.sum(axis=0) * (np.arange(w) + 0.5)).sum() / total)
    return y, x


def preprocess_digit(image: np.ndarray, box: int = BOX, field: int = FIELD) -> np.ndarray:
    """MNIST-style input from a drawing: a float32 vector of ``field*field`` values in [0, 1].

    ``image`` is a 2-D array of ink in [0, 1] (any size, white ink on black, as MNIST).
    Steps: crop to the ink's bounding box; scale so the larger side is ``box`` pixels (aspect
    kept, area-averaged); shift so the centre of mass lands at ``(field/2, field/2)``, the middle
    of the field (kept inside the field if the digit is very lopsided). A blank drawing gives
    all zeros.
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"a drawing must be a 2-D array of ink values, got shape {image.shape}")
    if not np.all(np.isfinite(image)):
        raise ValueError("a drawing must hold finite ink values")
    image = np.clip(image, 0.0, 1.0)
    bbox = bounding_box(image)
    if bbox is None:
        return np.zeros(field * field, dtype=np.float32)
    top, bottom, left, right = bbox
    crop = image[top:bottom, left:right]
    h, w = crop.shape
    scale = box / max(h, w)  # output pixels per input pixel
    cy, cx = center_of_mass(crop)  # in crop pixels
    # Place the crop so that its centre of mass maps to the middle of the field.
    oy = field / 2.0 - cy * scale
    ox = field / 2.0 - cx * scale
    # Keep the scaled digit inside the field.
    oy = min(max(oy, 0.0), field - h * scale)
    ox = min(max(ox, 0.0), field - w * scale)
    rows = overlap_matrix(h, field, oy, scale)
    cols = overlap_matrix(w, field, ox, scale)
    out = rows @ crop @ cols.T
    return np.clip(out, 0.0, 1.0).astype(np.float32).ravel()
