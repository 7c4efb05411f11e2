"""The main window: the panel list beside the current panel, menus, status bar, presentation mode."""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import QSettings, Qt, pyqtSignal
from PyQt6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QKeySequence
from PyQt6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

import explorer
from explorer.export import FORMATS, export_figure
from explorer.panels import PANELS, panel_class
from explorer.panels.base import Panel
from explorer.style import THEMES, Style
from explorer.widget_style import ScaledFusionStyle
from explorer.widgets.messages import show_message

LECTURE = "Using neural nets to recognize hand-written digits"


def app_settings() -> QSettings:
    """The app's settings, always in an INI file under the user's config folder."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "nn-explorer", "nn-explorer")


class MainWindow(QMainWindow):
    panel_changed = pyqtSignal(str)
    style_changed = pyqtSignal(object)

    def __init__(self, restore: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("NN Explorer")
        self._restore = restore
        self._panels: dict[str, Panel] = {}
        self._base_font = QFont(QApplication.font())
        self.style_ = Style(base_point_size=self._base_font.pointSizeF() if self._base_font.pointSizeF() > 0 else 10.0)
        self._presentation_contrast = False

        self.panel_list = QListWidget()
        self.panel_list.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.panel_list.setStatusTip("Choose a topic; the panels follow the lecture's order.")
        self.stack = QStackedWidget()
        for name, _ in PANELS:
            cls = panel_class(name)
            item = QListWidgetItem(cls.title)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(cls.slides)
            item.setStatusTip(f"{cls.title}: {cls.slides}")
            self.panel_list.addItem(item)
        self.panel_list.currentRowChanged.connect(self._row_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.panel_list)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        self.setCentralWidget(splitter)
        self._splitter = splitter
        if not PANELS:
            self.stack.addWidget(QLabel("No panels are installed."))

        self.statusBar().showMessage("Hover over any control to see what it does.")
        self._build_menus()
        self._load_settings()

    # -- panels -------------------------------------------------------------------------
    def panel_names(self) -> list[str]:
        return [name for name, _ in PANELS]

    def current_panel(self) -> Panel | None:
        w = self.stack.currentWidget()
        return w if isinstance(w, Panel) else None

    def show_panel(self, name: str) -> Panel:
        """Make ``name`` the current panel, creating it on first use."""
        row = self.panel_names().index(name)
        if self.panel_list.currentRow() != row:
            self.panel_list.setCurrentRow(row)  # -> _row_changed
        return self._panels[name]

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        name = self.panel_names()[row]
        panel = self._panels.get(name)
        if panel is None:
            panel = panel_class(name)()
            panel.apply_style(self.style_)
            self._panels[name] = panel
            self.stack.addWidget(panel)
        self.stack.setCurrentWidget(panel)
        self._panel_actions[name].setChecked(True)
        self.setWindowTitle(f"NN Explorer: {panel.title}")
        self.panel_changed.emit(name)

    # -- menus --------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.export_action = self._action(
            file_menu, "&Export figure...", lambda: self.export_current(), QKeySequence.StandardKey.Save,
            "Save the current panel's figure as a PNG picture or an SVG drawing.")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit, "Close NN Explorer.")

        view = bar.addMenu("&View")
        panels_menu = view.addMenu("&Panels")
        group = QActionGroup(self)
        self._panel_actions: dict[str, QAction] = {}
        for i, (name, _) in enumerate(PANELS):
            cls = panel_class(name)
            act = QAction(cls.title, self, checkable=True)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.setStatusTip(cls.slides)
            act.triggered.connect(lambda _checked, n=name: self.show_panel(n))
            group.addAction(act)
            panels_menu.addAction(act)
            self._panel_actions[name] = act
        self.list_action = self._action(
            view, "Panel &list", self.panel_list.setVisible, "Ctrl+L",
            "Show or hide the list of panels (hidden in presentation mode to give the panel the room).",
            checkable=True)
        self.list_action.setChecked(True)
        view.addSeparator()
        self.presentation_action = self._action(
            view, "P&resentation mode", self.set_presentation, "F11",
            "Full screen with every font and line about twice as big, for projecting in a classroom.",
            checkable=True)
        self.contrast_action = self._action(
            view, "High contrast in presentation", self._set_presentation_contrast, None,
            "Use the high-contrast light theme while presenting (best on washed-out projectors).",
            checkable=True)
        theme_menu = view.addMenu("&Theme")
        self._theme_group = QActionGroup(self)
        self._theme_actions: dict[str, QAction] = {}
        for theme in THEMES:
            act = QAction(theme.replace("-", " ").capitalize(), self, checkable=True)
            act.setStatusTip(f"Switch to the {theme} theme.")
            act.triggered.connect(lambda _checked, t=theme: self.set_theme(t))
            self._theme_group.addAction(act)
            theme_menu.addAction(act)
            self._theme_actions[theme] = act

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Slides for each panel", self.show_slides, "F1",
                     "Which slides of the lecture each panel makes move.")
        self._action(help_menu, "&About NN Explorer", self.show_about, None, "Version and credits.")

    # -- style --------------------------------------------------------------------------
    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; themes: {', '.join(THEMES)}")
        self._apply(Style(theme, self.style_.presentation, self.style_.base_point_size))

    def _set_presentation_contrast(self, on: bool) -> None:
        self._presentation_contrast = on
        if self.style_.presentation:
            self._apply(Style(self._effective_theme(), True, self.style_.base_point_size))

    def _effective_theme(self) -> str:
        if self.style_.presentation and self._presentation_contrast:
            return "high-contrast"
        return self._chosen_theme

    def set_presentation(self, on: bool, full_screen: bool = True) -> None:
        """Presentation mode: fonts and plot lines about 2x; full screen unless told otherwise."""
        if self.presentation_action.isChecked() != on:
            self.presentation_action.blockSignals(True)
            self.presentation_action.setChecked(on)
            self.presentation_action.blockSignals(False)
        self.style_ = Style(self.style_.theme, on, self.style_.base_point_size)
        self._apply(Style(self._effective_theme(), on, self.style_.base_point_size), remember_theme=False)
        self.list_action.setChecked(not on)
        if full_screen:
            self.showFullScreen() if on else self.showNormal()

    def _apply(self, style: Style, remember_theme: bool = True) -> None:
        if remember_theme:
            self._chosen_theme = style.theme
        self.style_ = style
        app = QApplication.instance()
        app.setStyle(ScaledFusionStyle(style.scale))
        app.setPalette(style.qpalette())
        font = QFont(self._base_font)
        font.setPointSizeF(style.base_point_size * style.scale)
        app.setFont(font)
        self.setFont(font)
        self._theme_actions[self._chosen_theme].setChecked(True)
        for panel in self._panels.values():
            panel.apply_style(style)
        self._fit_panel_list()
        self.style_changed.emit(style)

    def _fit_panel_list(self) -> None:
        """The panel list is exactly as wide as its longest title, at any font size."""
        self.panel_list.setFont(QApplication.font())
        self.panel_list.doItemsLayout()
        width = self.panel_list.sizeHintForColumn(0) + 2 * self.panel_list.frameWidth() + 12
        self.panel_list.setFixedWidth(max(width, 60))

    # -- file ---------------------------------------------------------------------------
    def export_current(self, path: str | None = None) -> Path | None:
        panel = self.current_panel()
        if panel is None:
            return None
        if path is None:
            path, chosen = QFileDialog.getSaveFileName(
                self, "Export figure", f"{panel.name}.png", ";;".join(FORMATS.values()))
            if not path:
                return None
            if Path(path).suffix.lower() not in FORMATS:
                path += ".svg" if "svg" in chosen else ".png"
        try:
            saved = export_figure(panel.figure(), path)
        except (OSError, ValueError) as exc:
            self.last_message = show_message(self, "Export failed", f"The figure was not saved: {exc}")
            return None
        self.statusBar().showMessage(f"Saved {saved}", 5000)
        return saved

    # -- help ---------------------------------------------------------------------------
    def slides_text(self) -> str:
        lines = [f"<h3>{LECTURE}</h3><ul>"]
        for name, _ in PANELS:
            cls = panel_class(name)
            lines.append(f"<li><b>{cls.title}</b> (<code>--panel {name}</code>): {cls.slides}</li>")
        lines.append("</ul>")
        return "".join(lines)

    def show_slides(self) -> None:
        self.last_message = show_message(self, "Slides for each panel", self.slides_text(), warning=False)

    def show_about(self) -> None:
        self.last_message = show_message(
            self, "About NN Explorer",
            f"<b>NN Explorer {explorer.__version__}</b><p>Explore by touch the lecture "
            f"<i>{LECTURE}</i> (Srikumar Ramalingam, after chapters 1 and 4 of Michael Nielsen's "
            "<i>Neural Networks and Deep Learning</i>).</p><p>MNIST by Yann LeCun, Corinna Cortes "
            "and Christopher J.C. Burges.</p>", warning=False)

    # -- settings and shutdown ----------------------------------------------------------
    def _load_settings(self) -> None:
        s = app_settings()
        theme = s.value("theme", "light") if self._restore else "light"
        theme = theme if theme in THEMES else "light"
        self._presentation_contrast = self._restore and s.value("presentation_high_contrast", "false") == "true"
        self.contrast_action.blockSignals(True)
        self.contrast_action.setChecked(self._presentation_contrast)
        self.contrast_action.blockSignals(False)
        self._chosen_theme = theme
        self._apply(Style(theme, False, self.style_.base_point_size))
        geometry = s.value("geometry") if self._restore else None
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        last = s.value("panel", "") if self._restore else ""
        names = self.panel_names()
        if names:
            self.show_panel(last if last in names else names[0])

    def save_settings(self) -> None:
        s = app_settings()
        if not self.isFullScreen():
            s.setValue("geometry", self.saveGeometry())
        s.setValue("theme", self._chosen_theme)
        s.setValue("presentation_high_contrast", "true" if self._presentation_contrast else "false")
        panel = self.current_panel()
        if panel is not None:
            s.setValue("panel", panel.name)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._restore:
            self.save_settings()
        for panel in self._panels.values():
            panel.shutdown()
        # Leave the application as this window found it (unscaled font and widget style), so a
        # later window in the same process does not take a presentation-size font as its base.
        app = QApplication.instance()
        app.setFont(self._base_font)
        app.setStyle(ScaledFusionStyle(1.0))
        super().closeEvent(event)
