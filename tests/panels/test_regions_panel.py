"""The ReLU regions panel, driven through its widgets (pytest-qt, offscreen)."""

import numpy as np

from explorer.core.region_bounds import region_bounds
from explorer.core.regions import count_regions, linear_regions
from explorer.panels.regions import RegionsPanel
from explorer.panels.regions.drawing import pattern_color_indices, pattern_text
from explorer.style import Style

from regions_support import _click_view_point, count_label, panel, settle  # noqa: F401 (fixtures)


def test_identity_and_registration(panel):
    from explorer.panels import panel_class

    assert panel_class("regions") is RegionsPanel
    assert (panel.name, panel.title) == ("regions", "ReLU regions")
    assert '"Other activation functions"' in panel.slides and '"Linear regions on the original input space"' in panel.slides


def test_architecture_changes_update_the_exact_count(qtbot, panel):
    ed, ex = panel.editor, panel.explore
    settle(qtbot, panel)
    assert count_label(panel) == len(linear_regions(ed.network, ex.box))
    before = count_label(panel)
    ed.width_boxes[0].setValue(9)
    settle(qtbot, panel)
    assert ed.network.widths == (9, 3, 3)
    assert count_label(panel) == len(linear_regions(ed.network, ex.box)) != before
    ed.layers.setValue(1)
    settle(qtbot, panel)
    assert ed.network.widths == (9,)
    assert count_label(panel) == len(linear_regions(ed.network, ex.box))
    assert panel.explore.counts.first_layer.text() == str(1 + 9 + 36)


def test_three_lines_preset_gives_seven_regions_everywhere(qtbot, panel):
    panel.editor.preset.setCurrentIndex(1)
    settle(qtbot, panel)
    counts = panel.explore.counts
    assert count_label(panel) == 7
    assert counts.plane_count.text() == "7  (exact)"
    assert counts.first_layer.text() == "7"
    assert counts.last_plane == 7


def test_bounds_labels_for_2_4_4(qtbot, panel):
    ed = panel.editor
    ed.layers.setValue(2)
    ed.width_boxes[0].setValue(4)
    ed.width_boxes[1].setValue(4)
    settle(qtbot, panel)
    c = panel.explore.counts
    assert (c.first_layer.text(), c.serra.text(), c.montufar17.text(), c.lower.text()) == ("11", "121", "121", "44")
    b = region_bounds([4, 4])
    assert count_label(panel) <= b.serra_upper


def test_layer_slider_and_unit_highlight(qtbot, panel):
    ex = panel.explore
    net = panel.editor.network
    ex.set_view("layers")
    assert ex.layer_slider.isVisible()
    ex.layer_slider.setValue(1)
    settle(qtbot, panel)
    assert ex.rs.n_layers == 1
    assert count_label(panel) == count_regions(net, ex.box, layers=1)
    assert ex.layer_edges.getData()[0] is not None and len(ex.layer_edges.getData()[0]) > 0
    assert ex.units.count() == net.widths[0]
    ex.units.setCurrentRow(1)
    x, y = ex.highlight.getData()
    assert len(x) >= 2
    w, b = net.weights[0][1], net.biases[0][1]
    assert np.allclose(w[0] * x + w[1] * y + b, 0, atol=1e-9)   # layer 1: straight line of unit 2
    ex.layer_slider.setValue(2)
    settle(qtbot, panel)
    assert ex.rs.n_layers == 2 and "layers 1..2" in ex.layer_label.text()
    assert count_label(panel) == count_regions(net, ex.box, layers=2)
    ex.units.setCurrentRow(0)
    x, y = ex.highlight.getData()
    z = net.preactivations(np.column_stack([x, y]), layers=2)[1][:, 0]
    assert len(x) >= 2 and np.allclose(z, 0, atol=1e-9)          # the bent hyperplane of unit (2, 1)
    ex.recompute()                                                # new weights or view: still highlighted
    assert np.array_equal(ex.highlight.getData()[0], x)
    ex.layer_slider.setValue(3)           # the slide preset's layer-3 unit 1 is active in the whole box
    settle(qtbot, panel)
    assert ex.units.item(0).text() == "layer 3, unit 1 (always active)"
    assert ex.units.item(1).text() == "layer 3, unit 2"
    ex.units.setCurrentRow(0)
    assert len(ex.highlight.getData()[0]) == 0                    # it bends nowhere here


def test_click_region_prints_its_pattern_area_and_map(qtbot, panel):
    ex = panel.explore
    settle(qtbot, panel)
    net = panel.editor.network
    point = (0.61, -0.37)
    index = ex.select_at(*point)
    assert index >= 0
    expected = tuple(p[0] for p in net.pattern(np.array([point])))
    text = ex.info.text()
    assert pattern_text(expected) in text
    assert "S¹ = " in text and "S³ = " in text
    assert f"area = {ex.rs.areas[index]:.4g}" in text
    # the printed affine map is the network's output there
    A, c = ex.rs[index].output_affine
    assert np.isclose(A[0] @ np.array(point) + c[0], net.forward(np.array([point]))[0, 0])
    assert "y(x) = " in text


def test_pattern_text_matches_the_slide():
    pattern = (np.array([1, 0, 1, 1, 0], bool), np.array([0, 1, 0, 1], bool), np.zeros(3, bool))
    assert pattern_text(pattern) == "S¹ = {1, 3, 4}   S² = {2, 4}   S³ = ∅"


def test_neighbouring_regions_get_different_colours(panel):
    rs = panel.explore.rs
    idx = pattern_color_indices(rs.patterns, rs.widths)
    # regions sharing an edge differ in exactly one unit, so their colours differ
    rng = np.random.default_rng(0)
    bits = rng.random((200, 40)) < 0.5
    flips = bits.copy()
    col = rng.integers(0, 40, 200)
    flips[np.arange(200), col] ^= True
    a = pattern_color_indices(bits, [10, 30])
    b = pattern_color_indices([(f[:10], f[10:]) for f in flips], [10, 30])   # list-of-patterns form
    assert np.all(a != b)
    assert len(np.unique(idx)) > 3 and panel.explore.fill.path_count() > 3


def test_weight_table_edit_and_bad_text(qtbot, panel):
    ed = panel.editor
    ed.table_layer.setCurrentIndex(0)
    ed.table.item(0, 2).setText("0.75")
    assert ed.network.biases[0][0] == 0.75
    settle(qtbot, panel)
    assert count_label(panel) == count_regions(ed.network, panel.explore.box)
    before = ed.network.weights[0].copy()
    ed.table.item(1, 0).setText("abc")
    assert "not a finite number" in ed.message.text()
    assert np.array_equal(ed.network.weights[0], before)
    assert ed.table.item(1, 0).text() != "abc"


def test_drag_handles_move_a_first_layer_line(qtbot, panel):
    ex = panel.explore
    ex.drag_check.setChecked(True)
    ex.drag_unit.setValue(2)
    assert all(h.isVisible() for h in ex.handles)
    ex.handles[0].setPos(-0.5, -0.5)
    ex.handles[1].setPos(0.5, 0.2)
    w, b = panel.editor.network.weights[0][1], panel.editor.network.biases[0][1]
    for p in ((-0.5, -0.5), (0.5, 0.2)):
        assert abs(w @ np.array(p) + b) < 1e-9
    settle(qtbot, panel)
    assert count_label(panel) == count_regions(panel.editor.network, ex.box)


def test_zoom_recomputes_for_the_visible_box(qtbot, panel):
    ex = panel.explore
    with qtbot.waitSignal(ex.redrawn, timeout=5000):
        ex.vb.setRange(xRange=(-0.2, 0.2), yRange=(-0.2, 0.2), padding=0)
    assert ex.box[1] - ex.box[0] < 1.0
    assert count_label(panel) == count_regions(panel.editor.network, ex.box)


def test_whole_plane_count_is_exact_and_does_not_depend_on_the_view(qtbot, panel):
    from explorer.core.region_bounds import exact_plane_count
    from explorer.core.regions import ReluNetwork

    ed, ex = panel.editor, panel.explore
    # 2-16-16-16 seed 0: two regions lie beyond 3,000 from the origin (a growing box settled at 1,042)
    ed.set_network(ReluNetwork.random((16, 16, 16), seed=0, bias_scale=0.1))
    settle(qtbot, panel)
    assert ex.counts.last_plane == exact_plane_count(ed.network) == 1044
    assert ex.counts.plane_count.text() == "1,044  (exact)"
    for x_range, y_range in (((-0.3, 0.5), (-0.2, 0.1)), ((2.0, 9.0), (-3.0, 1.0))):   # zoom, pan far
        with qtbot.waitSignal(ex.redrawn, timeout=5000):
            ex.vb.setRange(xRange=x_range, yRange=y_range, padding=0)
        assert not ex.counts.is_counting()        # the view moved, the network did not: no recount
        assert ex.counts.plane_count.text() == "1,044  (exact)"
    ed.table.item(0, 2).setText("0.5")            # a new network: counted again
    assert ex.counts.is_counting() or ex._debounce.isActive()
    settle(qtbot, panel)
    assert ex.counts.last_plane == exact_plane_count(ed.network)


def test_output_view_shades_the_output(qtbot, panel):
    ex = panel.explore
    ex.set_view("output")
    assert ex.shading.image.isVisible() and ex.shading.image.image is not None
    assert not ex.fill.isVisible()
    assert ex.output_unit.isVisible() and not ex.layer_slider.isVisible()


def test_presentation_style_and_shutdown(qtbot, panel):
    panel.apply_style(Style(presentation=True, theme="dark"))
    assert panel.explore._dark
    assert panel.explore.edges.opts["pen"].widthF() >= 1.5
    panel.explore.set_view("layers")                 # big fonts: the layer slider still gets real room
    qtbot.waitUntil(lambda: panel.explore.layer_slider.width() >= 300, timeout=3000)
    panel.shutdown()
    assert not panel.explore.counts.is_counting()


def test_initialisation_choices_are_the_core_ones(qtbot, panel):
    from explorer.core.regions import ReluNetwork

    ed = panel.editor
    ed.seed.setValue(7)
    ed.init.setCurrentText("PyTorch default (uniform)")
    assert not ed.bias_scale.isEnabled() and "nn.Linear" in ed.init_note.text()
    ref = ReluNetwork.random(ed.widths(), seed=7, init="pytorch")
    assert all(np.array_equal(a, b) for a, b in zip(ed.network.biases, ref.biases))
    ed.init.setCurrentText("PyTorch weights, normal biases")
    ed.bias_scale.setValue(0.5)
    ref = ReluNetwork.random(ed.widths(), seed=7, init="pytorch", bias_scale=0.5)
    assert all(np.array_equal(a, b) for a, b in zip(ed.network.biases, ref.biases))
    before = [w.copy() for w in ed.network.weights]
    ed.rerandomise.click()
    assert ed.seed.value() == 8 and not np.array_equal(before[0], ed.network.weights[0])


def test_real_mouse_click_on_a_region_prints_it(qtbot, panel):
    ex = panel.explore
    settle(qtbot, panel)
    _click_view_point(qtbot, ex.plot, -0.6, -0.8)
    qtbot.waitUntil(lambda: ex.selected >= 0, timeout=3000)
    net = panel.editor.network
    # the clicked point (within a pixel) lies in the selected region: same pattern
    expected = tuple(p[0] for p in net.pattern(np.array([[-0.6, -0.8]])))
    assert pattern_text(expected) in ex.info.text()
    assert len(ex.outline.getData()[0]) >= 4


def test_region_cap_gives_a_message_not_a_crash(qtbot, panel, monkeypatch):
    import explorer.panels.regions.explore as explore_module

    monkeypatch.setattr(explore_module, "MAX_REGIONS", 5)
    ex = panel.explore
    ex.recompute()
    assert ex.rs is None and "more than 5" in ex.message.text() and "Zoom in" in ex.message.text()
    assert ex.counts.box_count.text() == "too many to enumerate"
    assert not ex.counts.is_counting() and ex.fill.path_count() == 0
    assert ex.select_at(0.0, 0.0) == -1
    monkeypatch.setattr(explore_module, "MAX_REGIONS", 40_000)
    ex.recompute()
    assert ex.rs is not None and ex.message.text() == ""


def test_several_outputs_and_the_chosen_one_is_shaded(qtbot, panel):
    ed, ex = panel.editor, panel.explore
    ed.outputs.setValue(3)
    settle(qtbot, panel)
    assert ed.network.n_outputs == 3 and ex.output_unit.maximum() == 3
    ex.set_view("output")
    ex.output_unit.setValue(3)
    img = ex.shading.image.image
    x0, x1, y0, y1 = ex.box
    corner = ed.network.forward(np.array([[x0, y0]]))[0]
    assert np.isclose(img[0, 0], corner[2]) and not np.isclose(img[0, 0], corner[0])
    ex.select_at(0.1, 0.1)
    A, c = ex.rs[ex.selected].output_affine
    assert A.shape == (3, 2)
    rs = ex.rs                                      # another output: same regions, no new enumeration
    ex.output_unit.setValue(2)
    assert ex.rs is rs and "Output unit 2" in ex.caption.text()
    y = A[1] @ np.array([0.1, 0.1]) + c[1]
    assert np.isclose(y, ed.network.forward(np.array([[0.1, 0.1]]))[0, 1])
    assert f"{c[1]:.3g}".lstrip("-") in ex.info.text()      # the clicked region now prints output 2's map


def test_hovering_a_region_prints_it(qtbot, panel):
    from PyQt6.QtCore import QPointF

    ex = panel.explore
    settle(qtbot, panel)
    pos = ex.plot.mapFromScene(ex.vb.mapViewToScene(QPointF(-0.5, -0.9)))
    qtbot.mouseMove(ex.plot.viewport(), pos)
    qtbot.waitUntil(lambda: ex.info.text().startswith("Region under the mouse"), timeout=3000)
    expected = tuple(p[0] for p in panel.editor.network.pattern(np.array([[-0.5, -0.9]])))
    assert pattern_text(expected) in ex.info.text()
    # zoom in around another point: the text follows the region now under the (unmoved) mouse
    scene_pos = ex.vb.mapViewToScene(QPointF(-0.5, -0.9))
    with qtbot.waitSignal(ex.redrawn, timeout=5000):
        ex.vb.setRange(xRange=(0.3, 0.4), yRange=(-0.5, -0.4), padding=0)
    p = ex.vb.mapSceneToView(scene_pos)
    expected = tuple(b[0] for b in panel.editor.network.pattern(np.array([[p.x(), p.y()]])))
    index = ex.rs.locate((p.x(), p.y()))
    assert pattern_text(expected) in ex.info.text() and f"area = {ex.rs.areas[index]:.4g}" in ex.info.text()
    assert "(its part inside the view box)" in ex.info.text()       # the small view cuts the region


def test_captions_say_the_slide_numbers(qtbot, panel):
    ex = panel.explore
    panel.editor.preset.setCurrentIndex(1)          # 3 lines
    settle(qtbot, panel)
    ex.set_view("layers")
    assert ex.caption.text() == "Layer 1: 3 hyperplanes (lines) partition the box into 7 regions."
    panel.editor.preset.setCurrentIndex(2)          # 3-3-3
    settle(qtbot, panel)
    ex.layer_slider.setValue(2)
    settle(qtbot, panel)
    n1 = count_regions(panel.editor.network, ex.box, layers=1)
    n2 = count_regions(panel.editor.network, ex.box, layers=2)
    assert f"split the {n1} regions of layers 1..1 (colours) into {n2} regions" in ex.caption.text()


def test_clicked_region_follows_weight_changes(qtbot, panel):
    ex, ed = panel.explore, panel.editor
    settle(qtbot, panel)
    ex.select_at(0.2, 0.9)
    ed.table_layer.setCurrentIndex(0)
    ed.table.item(0, 2).setText("-0.9")        # move unit 1's line: the pattern at (0.2, 0.9) may change
    settle(qtbot, panel)
    expected = tuple(p[0] for p in ed.network.pattern(np.array([[0.2, 0.9]])))
    assert ex.selected >= 0 and pattern_text(expected) in ex.info.text()


def test_huge_weight_typed_in_the_table_gives_a_message_not_a_crash(qtbot, panel):
    ed, ex = panel.editor, panel.explore
    ed.table_layer.setCurrentIndex(1)                       # layer 2
    ed.table.item(0, 0).setText("1e308")                    # finite, but z overflows float64
    settle(qtbot, panel)
    assert ex.rs is None and "too large for float64" in ex.message.text()
    assert ex.counts.box_count.text() == ex.counts.plane_count.text() == "weights too large"
    ex.set_view("output")                                   # synchronous path and the shading
    assert "too large" in ex.message.text()                # shading still drawn if the grid values are finite
    ed.table.item(0, 0).setText("abc")                      # refused, old value kept
    assert "not a finite number" in ed.message.text() and ed.network.weights[1][0, 0] == 1e308
    ed.table.item(0, 0).setText("0.5")
    settle(qtbot, panel)
    assert ex.rs is not None and ex.message.text() == "" and ex.shading.image.isVisible()
    assert count_label(panel) == count_regions(ed.network, ex.box)


def test_every_control_has_a_tooltip(panel):
    from PyQt6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QSlider

    missing = [w.text() if isinstance(w, QAbstractButton) else type(w).__name__
               for cls in (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider) for w in panel.findChildren(cls)
               if not w.toolTip() and not w.objectName().startswith(("qt_", "Scroll"))]
    assert missing == []


def test_zoomed_axes_show_plain_coordinates(qtbot, panel):
    ex = panel.explore
    with qtbot.waitSignal(ex.redrawn, timeout=5000):
        ex.vb.setRange(xRange=(-0.004, 0.001), yRange=(-0.002, 0.002), padding=0)
    for side in ("bottom", "left"):
        axis = ex.plot.getAxis(side)
        assert axis.autoSIPrefixScale == 1.0 and "x0.001" not in axis.labelString()
