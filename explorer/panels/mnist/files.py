"""The MNIST panel's file work: data source choice, save / load model, curves CSV, plot images.

Every method that asks for a path takes it as an argument too (scripts and tests skip the dialog).
Every failure ends as one sentence under the Files or Data group, never a traceback.
"""

from __future__ import annotations

import os

import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 - registers the exporters
from PyQt6.QtCore import QRectF, QSize
from PyQt6.QtGui import QPainter
from PyQt6.QtSvg import QSvgGenerator
from PyQt6.QtWidgets import QFileDialog, QMenu, QToolButton

from explorer.core import download
from explorer.core.network import Network
from explorer.core.training_curves import CURVE_HEADER, curve_rows, write_csv_atomic
from explorer.panels.mnist.data_source import DownloadDialog
from explorer.panels.mnist.live_plots import SMOOTH_WINDOW


def _reason(exc: BaseException, path: str) -> str:
    """A short reason for a failed file operation, without the temporary file's name."""
    if os.path.isdir(path):
        return f"{path} is a folder; choose a file name"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"the folder {folder} does not exist"
    if isinstance(exc, OSError):
        why = f" ({exc.strerror.lower()})" if exc.strerror else ""
        return f"the folder {folder} cannot be written{why}"
    return str(exc)


def _export_svg(widget: pg.PlotWidget, path: str) -> None:
    """Render a plot's scene as vector SVG with Qt's own generator.

    (pyqtgraph 0.14's SVGExporter fails on the path syntax Qt 6.11 writes, so it is not used.)
    """
    rect = widget.getPlotItem().sceneBoundingRect()
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(QSize(int(rect.width()), int(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle("NN Explorer plot")
    open(path, "wb").close()  # a clear OSError now rather than Qt's warnings later
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError("Qt could not open the file")
    try:
        widget.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()


class PanelFiles:
    def __init__(self, panel) -> None:
        self.panel = panel
        self.dialog_fetch = None  # tests: replaces download_mnist inside the download dialog
        self.last_dialog: DownloadDialog | None = None

    def _say(self, text: str, error: bool = True) -> None:
        fc = self.panel.file_controls
        fc.show_message(text, error)
        fc.message.setToolTip("")
        style = self.panel.style_
        fc.message.setStyleSheet(f"color: {style.bad if error else style.good};")

    # --- data --------------------------------------------------------------------------------------
    def choose_source(self, key: str, folder: str | None = None) -> bool:
        panel = self.panel
        if key == "sample":
            return panel.load_data("sample")
        if key == "folder":
            if folder is None:
                folder = QFileDialog.getExistingDirectory(panel, "Folder with the four MNIST files")
            if not folder:
                panel.data_controls.select(panel.source if panel.source in ("sample", "full") else "folder")
                return False
            return panel.load_data(folder)
        if not download.is_verified():  # missing, or damaged in the cache: (re)fetch what fails its SHA-256
            dialog = DownloadDialog(panel, fetch=self.dialog_fetch)
            if download.is_downloaded():
                dialog.label.setText("The cached copy of full MNIST is damaged: fetching the damaged files again "
                                     f"into\n{download.mnist_dir()}")
            self.last_dialog = dialog
            accepted = dialog.exec()
            if not accepted:
                error = dialog.error if dialog.error and dialog.error != "cancelled" else "Download cancelled."
                panel.data_controls.error.setText(error)
                panel.data_controls.error.setVisible(True)
                panel.data_controls.select(panel.source if panel.source in ("sample", "full") else "folder")
                return False
        return panel.load_data("full")

    # --- model files -------------------------------------------------------------------------------
    def current_network(self) -> Network | None:
        """The network as trained so far; while the worker runs, rebuilt from the newest snapshot."""
        panel = self.panel
        if panel.network is None:
            return None
        if not panel.trainer.is_running() or panel._snap is None:
            return panel.network
        copy = panel._view_net.copy()
        copy.weights = [w.copy() for w in panel._snap.weights]
        copy.biases = [b.copy() for b in panel._snap.biases]
        return copy

    def save_model(self, path: str | None = None) -> bool:
        panel = self.panel
        if path is None:
            path, _ = QFileDialog.getSaveFileName(panel, "Save model", "mnist-model.npz", "NumPy model (*.npz)")
            if not path:
                return False
        network = self.current_network()
        try:
            network.save(path)
        except (OSError, ValueError) as exc:
            self._say(f"Could not save the model: {_reason(exc, path)}. Nothing was written.")
            return False
        self._say(f"Saved {'-'.join(map(str, network.sizes))} to {os.path.basename(path)}.", error=False)
        return True

    def load_model(self, path: str | None = None) -> bool:
        panel = self.panel
        if path is None:
            path, _ = QFileDialog.getOpenFileName(panel, "Load model", "", "NumPy model (*.npz);;All files (*)")
            if not path:
                return False
        name = os.path.basename(path)
        try:
            network = Network.load(path)
        except (OSError, ValueError, KeyError, EOFError) as exc:
            if not os.path.isfile(path):
                self._say(f"Could not load {name or path}: there is no such file.")
            else:  # the core's reason (e.g. numpy's advice about pickles) goes to the tooltip only
                self._say(f"{name} is not a model saved by NN Explorer: choose a .npz file made with Save….")
                self.panel.file_controls.message.setToolTip(str(exc))
            return False
        if network.sizes[0] != 784 or network.sizes[-1] != 10:
            self._say(f"{os.path.basename(path)} is a {'-'.join(map(str, network.sizes))} network; the MNIST "
                      "panel needs 784 inputs and 10 outputs.")
            return False
        panel.trainer.shutdown()
        nc = panel.net_controls
        nc.set_architecture(list(network.sizes), network.activation, network.cost)
        panel.install_network(network)
        self._say(f"Loaded {'-'.join(map(str, network.sizes))} from {os.path.basename(path)}.", error=False)
        return True

    # --- curves and plots --------------------------------------------------------------------------
    def export_csv(self, path: str | None = None) -> bool:
        panel = self.panel
        snap = panel._snap
        if snap is None or snap.batches_done == 0:
            self._say("Nothing to export yet: train first.")
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(panel, "Export curves", "mnist-curves.csv", "CSV (*.csv)")
            if not path:
                return False
        rows = curve_rows(snap.costs, snap.batches_per_epoch, SMOOTH_WINDOW, snap.subset_points, snap.epoch_points)
        try:
            write_csv_atomic(path, CURVE_HEADER, rows)
        except OSError as exc:
            self._say(f"Could not write the curves: {_reason(exc, path)}. Nothing was written.")
            return False
        self._say(f"Wrote {len(rows):,} rows to {os.path.basename(path)}.", error=False)
        return True

    def plots(self) -> dict:
        panel = self.panel
        return {"Cost": panel.plots.cost_plot, "Accuracy": panel.plots.acc_plot,
                "Confusion matrix": panel.confusion.plot, "One digit's outputs": panel.outputs.bars,
                "Drawn digit's outputs": panel.draw.bars}

    def build_plot_menu(self, button: QToolButton) -> None:
        menu = QMenu(button)
        for title in self.plots():
            menu.addAction(title, lambda t=title: self.export_plot(t))
        button.setMenu(menu)

    def export_plot(self, title: str, path: str | None = None) -> bool:
        """Save one plot as PNG or SVG (by the file's suffix), via pyqtgraph's exporters."""
        widget = self.plots()[title]
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.panel, f"Export {title}", title.lower().replace(" ", "-")
                                                  + ".png", "PNG image (*.png);;SVG image (*.svg)")
            if not path:
                return False
        if not path.lower().endswith((".svg", ".png")):
            path += ".png"
        tmp = path + ".part" + os.path.splitext(path)[1]
        try:
            if path.lower().endswith(".svg"):
                _export_svg(widget, tmp)
            else:
                pg.exporters.ImageExporter(widget.getPlotItem()).export(tmp)
            if not os.path.exists(tmp):
                raise OSError("the image was not written")
            os.replace(tmp, path)
        except Exception as exc:  # exporters raise assorted errors (I/O, Qt)
            if os.path.exists(tmp):
                os.unlink(tmp)
            self._say(f"Could not export {title}: {_reason(exc, path)}. Nothing was written.")
            return False
        self._say(f"Exported {title} to {os.path.basename(path)}.", error=False)
        return True

    def shutdown(self) -> None:
        if self.last_dialog is not None and self.last_dialog.isVisible():
            self.last_dialog.done(0)
