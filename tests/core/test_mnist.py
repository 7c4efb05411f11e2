"""IDX reading / writing / validation and load_mnist (bundled sample, a folder, the cache)."""

from __future__ import annotations

import gzip
import hashlib
import struct

import numpy as np
import pytest

from explorer.core import mnist
from explorer.core.mnist import (
    FILE_NAMES, MnistNotDownloaded, load_mnist, parse_idx, read_idx, read_images, read_labels, write_idx,
)

SAMPLE_SHA256 = {
    "train-images-idx3-ubyte.gz": "60537c71af469f158c25e92a9974e6065f1ee86be55212ed344fbd73f3d5bd6d",
    "train-labels-idx1-ubyte.gz": "25143a5403463c33e8f87180be8a1e73f249ec8a8446526d25903adee5b85bea",
    "t10k-images-idx3-ubyte.gz": "4841616b0fb18ce71b6b9339efdb5731c3c443dd05b2922b5874dd57c23c376b",
    "t10k-labels-idx1-ubyte.gz": "5f3d0533b7a510d0c6bb54dd6714b2f31ca9743d4864479d3280586bc777357b",
}


@pytest.fixture(scope="module")
def sample():
    return load_mnist("sample")


def make_set(folder, n_train=12, n_test=5, gz=True, seed=0, names=FILE_NAMES):
    """Write a small valid MNIST-format set; return the arrays written."""
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8), rng.integers(0, 10, n_train, dtype=np.uint8),
              rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8), rng.integers(0, 10, n_test, dtype=np.uint8)]
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in zip(names, arrays):
        write_idx(folder / (name if gz else name[:-3]), array)
    return arrays


# -- the bundled sample -----------------------------------------------------------------------

def test_sample_shapes_types_and_range(sample):
    X_train, y_train, X_test, y_test = sample
    assert X_train.shape == (8000, 784) and X_test.shape == (2000, 784)
    assert X_train.dtype == np.float32 and X_test.dtype == np.float32
    assert y_train.shape == (8000,) and y_test.shape == (2000,)
    assert np.issubdtype(y_train.dtype, np.integer)
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    assert X_train.flags.c_contiguous


def test_sample_class_counts_match_the_published_ones(sample):
    _, y_train, _, y_test = sample
    assert np.bincount(y_train, minlength=10).tolist() == [797, 895, 759, 832, 797, 703, 806, 864, 758, 789]
    assert np.bincount(y_test, minlength=10).tolist() == [204, 232, 232, 200, 183, 160, 208, 206, 186, 189]


def test_sample_pixels_are_grey_levels_over_255(sample):
    X_train = sample[0]
    raw = read_images(mnist.sample_files().joinpath(mnist.TRAIN_IMAGES))
    np.testing.assert_array_equal(X_train[0], raw[0].reshape(-1) / np.float32(255))
    assert np.allclose(np.round(X_train[:50] * 255), X_train[:50] * 255, atol=1e-4)  # whole grey levels


def test_sample_files_are_packaged_resources_with_their_checksums():
    root = mnist.sample_files()
    for name, sha in SAMPLE_SHA256.items():
        assert hashlib.sha256(root.joinpath(name).read_bytes()).hexdigest() == sha
    assert "MIT" in root.joinpath("NOTICE").read_text() and "Cazala" in root.joinpath("README.md").read_text()


# -- IDX round trips ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip(tmp_path, dtype, suffix):
    array = (np.arange(24) - 5).astype(dtype).reshape(2, 3, 4)
    if dtype == np.uint8:
        array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    path = write_idx(tmp_path / f"a.idx{suffix}", array)
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype) and back.shape == (2, 3, 4)
    np.testing.assert_array_equal(back, array)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == (suffix == ".gz")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary left behind


def test_idx_header_is_the_standard_one(tmp_path):
    path = write_idx(tmp_path / "labels", np.array([3, 1, 4], dtype=np.uint8))
    assert path.read_bytes() == struct.pack(">iiBBB", 2049, 3, 3, 1, 4)


# -- validation: every fault is a ValueError naming the file and the fault ------------------

def images_bytes(n=3, rows=28, cols=28, magic=2051):
    return struct.pack(">iiii", magic, n, rows, cols) + bytes(n * rows * cols)


def labels_bytes(values, magic=2049):
    return struct.pack(">ii", magic, len(values)) + bytes(values)


@pytest.mark.parametrize("reader, data, fault", [
    (read_images, images_bytes(magic=2049), "magic number 2049"),
    (read_images, b"\x12\x34\x56\x78" + bytes(20), "bad magic number"),
    (read_images, images_bytes(rows=27), "27x28"),
    (read_images, images_bytes()[:-5], "truncated"),
    (read_images, images_bytes() + b"xyz", "3 unexpected bytes"),
    (read_images, images_bytes()[:10], "header cut short"),
    (read_images, b"\x00\x00", "too short"),
    (read_labels, labels_bytes([1, 2, 10, 3]), "label 10 at index 2"),
    (read_labels, labels_bytes([1, 2], magic=2051), "magic number"),
    (read_labels, labels_bytes([1, 2, 3])[:-1], "truncated"),
    (read_labels, gzip.compress(labels_bytes([1, 2, 3]))[:-6], "damaged gzip"),
])
def test_bad_files_raise_value_error_naming_file_and_fault(tmp_path, reader, data, fault):
    path = tmp_path / "broken-file.idx"
    path.write_bytes(data)
    with pytest.raises(ValueError) as info:
        reader(path)
    assert "broken-file.idx" in str(info.value)
    assert fault in str(info.value)


def test_image_and_label_counts_must_agree(tmp_path):
    folder = tmp_path / "set"
    make_set(folder)
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.zeros(4, dtype=np.uint8))  # 5 images, 4 labels
    with pytest.raises(ValueError, match=r"t10k-images.*5 images.*t10k-labels.*4 labels"):
        load_mnist(folder)


@pytest.mark.parametrize("n_train, n_test", [(0, 5), (5, 0)])
def test_a_set_without_images_is_refused_clearly(tmp_path, n_train, n_test):
    make_set(tmp_path, n_train=n_train, n_test=n_test)
    with pytest.raises(ValueError, match="holds no images") as info:
        load_mnist(tmp_path)
    assert ("train-images" if n_train == 0 else "t10k-images") in str(info.value)


def test_to_inputs_of_no_images_is_empty():
    assert mnist.to_inputs(np.zeros((0, 28, 28), np.uint8)).shape == (0, 784)


def test_parse_idx_rejects_negative_dimension():
    with pytest.raises(ValueError, match="negative dimension"):
        parse_idx(struct.pack(">HBBi", 0, 8, 1, -2), "neg.idx")


# -- folders and the cache ------------------------------------------------------------------------

@pytest.mark.parametrize("gz", [True, False])
def test_load_from_a_folder_gzipped_or_not(tmp_path, gz):
    arrays = make_set(tmp_path / "mine", gz=gz)
    X_train, y_train, X_test, y_test = load_mnist(tmp_path / "mine")
    assert X_train.shape == (12, 784) and X_test.shape == (5, 784) and X_train.dtype == np.float32
    np.testing.assert_array_equal(X_train, arrays[0].reshape(12, 784) / np.float32(255))
    np.testing.assert_array_equal(y_train, arrays[1])
    np.testing.assert_array_equal(y_test, arrays[3])


def test_load_from_a_folder_with_dotted_names(tmp_path):
    dotted = [n[:-3].replace("-idx", ".idx") for n in FILE_NAMES]  # e.g. train-images.idx3-ubyte
    make_set(tmp_path, names=[n + ".gz" for n in dotted], gz=True)
    assert load_mnist(str(tmp_path))[0].shape == (12, 784)


def test_folder_missing_a_file_says_which(tmp_path):
    make_set(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_mnist(tmp_path / "nowhere")


def test_full_not_downloaded_says_how_to_download(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_EXPLORER_DATA", str(tmp_path))
    with pytest.raises(MnistNotDownloaded, match="nn-explorer download-mnist") as info:
        load_mnist("full")
    assert isinstance(info.value, FileNotFoundError)
    assert str(tmp_path) in str(info.value)


def test_full_reads_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_EXPLORER_DATA", str(tmp_path))
    arrays = make_set(tmp_path / "mnist", n_train=7, n_test=3)
    X_train, y_train, X_test, y_test = load_mnist("full")
    assert X_train.shape == (7, 784) and X_test.shape == (3, 784)
    np.testing.assert_array_equal(y_train, arrays[1])
