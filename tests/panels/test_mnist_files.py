"""The MNIST panel's files: save / load model, CSV and plot export fail with one plain sentence
and leave nothing half-written (a disk that fills up mid-write, a folder that is not there)."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

from explorer.core.mnist import load_mnist
from explorer.panels.mnist import MnistPanel


@pytest.fixture(scope="module")
def sample():
    return load_mnist("sample")


@pytest.fixture
def trained(qtbot, sample):
    p = MnistPanel()
    qtbot.addWidget(p)
    X, y, Xt, yt = sample
    p.set_data(X[:200], y[:200], Xt[:50], yt[:50], "sample")
    p.net_controls.epochs.setValue(1)
    with qtbot.waitSignal(p.trainer.finished, timeout=15000):
        p.train_controls.start.click()
    p._frame()
    yield p
    p.shutdown()


def _message(panel) -> str:
    m = panel.file_controls.message
    assert m.isVisibleTo(panel) and panel.style_.bad in m.styleSheet()
    return m.text()


@pytest.mark.parametrize("action, suffix", [("save_model", "npz"), ("export_csv", "csv"), ("plot", "png"),
                                            ("plot", "svg")])
def test_a_missing_folder_is_said_plainly(trained, tmp_path, action, suffix):
    target = str(tmp_path / "gone" / f"out.{suffix}")
    ok = trained.files.export_plot("Cost", target) if action == "plot" else getattr(trained.files, action)(target)
    assert not ok
    text = _message(trained)
    assert f"the folder {tmp_path / 'gone'} does not exist" in text and "Nothing was written" in text
    assert ".tmp" not in text and ".part" not in text  # no temporary file names in the sentence
    assert os.listdir(tmp_path) == []


def test_a_disk_that_fills_up_while_saving_leaves_no_file(trained, tmp_path, monkeypatch):
    def full_disk(f, **arrays):
        f.write(b"PK\x03\x04 half an archive")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez", full_disk)
    assert not trained.files.save_model(str(tmp_path / "model.npz"))
    assert "no space left on device" in _message(trained)
    assert os.listdir(tmp_path) == []


def test_a_disk_that_fills_up_while_exporting_csv_leaves_no_file(trained, tmp_path, monkeypatch):
    import csv

    class FullWriter:
        def __init__(self, f):
            self.f = f

        def writerow(self, row):
            self.f.write("minibatch,epoch,half a row")
            raise OSError(errno.ENOSPC, "No space left on device")

        writerows = writerow

    monkeypatch.setattr(csv, "writer", lambda f, *a, **k: FullWriter(f))
    (tmp_path / "curves.csv").write_text("the previous export\n")
    assert not trained.files.export_csv(str(tmp_path / "curves.csv"))
    assert "no space left on device" in _message(trained)
    assert os.listdir(tmp_path) == ["curves.csv"]  # the old file is untouched, no temporary left
    assert (tmp_path / "curves.csv").read_text() == "the previous export\n"


def test_a_folder_is_not_a_file_name(trained, tmp_path):
    assert not trained.files.save_model(str(tmp_path))
    assert "is a folder" in _message(trained)
    assert os.listdir(tmp_path) == []


def test_loading_something_else_says_so_without_jargon(trained, tmp_path):
    other = tmp_path / "other.npz"
    np.savez(other, a=np.arange(3))
    w0 = trained.network.weights[0].copy()
    assert not trained.files.load_model(str(other))
    text = _message(trained)
    assert text.startswith("other.npz is not a model saved by NN Explorer") and "pickle" not in text
    assert not trained.files.load_model(str(tmp_path / "missing.npz"))
    assert "no such file" in _message(trained)
    np.testing.assert_array_equal(trained.network.weights[0], w0)
