"""Chapter 12: the slide experiments, their plots and the two demos.

Training experiments run here in small configurations (few channels, one epoch,
few steps); the lesson runs the full ones and nbval checks their printed numbers.
"""
import numpy as np
import pytest

from dlcourse import cnn, plots, widgets
from dlcourse.experiments import cnn as E


def test_filter_photo_and_the_slides_filters():
    res = E.filter_photo(E.VERTICAL_EDGE)
    assert res.out.shape == res.image.shape
    np.testing.assert_allclose(res.out, cnn.filter2d(res.image, E.VERTICAL_EDGE, pad=1))
    assert "photo 300x256 -> output 300x256" in str(res)
    np.testing.assert_allclose(np.asarray(E.MEAN), np.full((3, 3), 1 / 9))
    with pytest.raises(ValueError, match="3x3"):
        E.filter_photo(np.ones((2, 2)))


def test_mean_filter_reduces_noise():
    res = E.mean_filter_denoise(noise=0.1, seed=0)
    assert res.rms_noisy == pytest.approx(0.1, abs=0.002)
    assert res.rms_smoothed < 0.7 * res.rms_noisy
    assert res.rms_blur < res.rms_smoothed             # the blur is part of the remaining error


def test_vertical_edge_filter_finds_only_vertical_sides():
    res = E.edge_response(size=8, lo=2, hi=6)
    v, h = res.vertical, res.horizontal
    assert v.shape == (6, 6)
    np.testing.assert_array_equal(v[2:4, :2], 3.0)      # left side, full height: +3
    np.testing.assert_array_equal(v[2:4, 4:], -3.0)     # right side: -3
    np.testing.assert_array_equal(v[:, 2:4], 0.0)       # the middle columns see no vertical edge
    np.testing.assert_array_equal(h, v.T)               # the transposed filter on a symmetric picture
    assert "+3" in str(res) and "-3" in str(res)


@pytest.mark.parametrize("size, kernel, stride, pad, layers", [(7, 3, 1, 0, 1), (7, 3, 2, 1, 1),
                                                               (12, 3, 1, 1, 3), (9, 5, 2, 2, 2)])
def test_conv_geometry_sizes_and_receptive_field(size, kernel, stride, pad, layers):
    geo = E.conv_geometry(size, kernel, stride, pad, layers)
    assert geo.valid
    expected = [size]
    for _ in range(layers):
        expected.append((expected[-1] + 2 * pad - kernel) // stride + 1)
    assert geo.sizes == expected
    rf = 1 + sum((kernel - 1) * stride ** k for k in range(layers))   # r_l = r_{l-1} + (k-1)·S^(l-1)
    assert geo.receptive == rf == geo.first[1] - geo.first[0] + 1 == geo.last[1] - geo.last[0] + 1
    assert geo.first[0] == -pad * sum(stride ** k for k in range(layers))


def test_conv_geometry_reports_a_kernel_too_large():
    geo = E.conv_geometry(3, 7, 1, 1, 1)
    assert not geo.valid and "smaller than the kernel" in geo.error and "ValueError" in str(geo)
    assert E.conv_geometry(8, 3, 2, 0, 1).unused == 1


def test_pooling_blurs_a_one_pixel_shift():
    res = E.pooling_example()
    np.testing.assert_array_equal(res.max_out, [[9, 6], [4, 8]])
    np.testing.assert_array_equal(res.max_out, res.max_shifted)
    assert not np.array_equal(res.avg_out, res.avg_shifted)
    assert "unchanged by the shift: True" in str(res)
    pooled = E.photo_pooling(sizes=(2, 4))
    assert pooled.pooled[("max", 4)].shape == (75, 64)
    assert pooled.pooled[("max", 2)].max() == pytest.approx(pooled.edges.max())
    assert pooled.pooled[("average", 4)].max() < pooled.pooled[("max", 4)].max()


def test_batchnorm_per_channel_keeps_each_map():
    res = E.batchnorm_per_channel(n=20, seed=0)
    assert (res.stats_channel, res.stats_position) == (4, 4 * 28 * 28)
    assert res.corr_channel == pytest.approx(1.0, abs=1e-9)
    assert res.corr_position < 0.9
    assert res.faint_position == pytest.approx(np.sqrt(19), rel=0.01)   # one value among 20 (eps shaves a bit)
    assert res.faint_channel < 1.0


def test_small_cnn_run_feature_maps_and_plots():
    run = E.mnist_cnn(epochs=1, conv=((4, 3), (8, 3)), lr=0.005)
    assert len(run.test_acc) == len(run.train_loss) == 1
    assert run.accuracy > 0.7
    assert run.n_params == 4 * 9 + 4 + 8 * 4 * 9 + 8 + 8 * 7 * 7 * 10 + 10
    assert f"{run.accuracy:.1%}" in str(run)
    fm = E.feature_maps(run, index=3)
    assert fm.filters.shape == (4, 3, 3) and fm.maps1.shape == (4, 28, 28) and fm.maps2.shape == (8, 7, 7)
    assert fm.label == run.labels[3] and 0 < fm.prob <= 1
    assert np.all(np.abs(fm.similarity) <= 1 + 1e-12)
    for fig in (plots.cnn_run(run), plots.cnn_feature_maps(fm)):
        assert fig.axes


def test_small_transfer_and_mnist1d_runs():
    tr = E.transfer(per_class=2, draws=1, source_epochs=1, conv=((4, 3), (4, 3)))
    assert len(tr.transfer) == len(tr.scratch) == len(tr.random_features) == 1
    assert tr.source_acc > 0.6 and tr.n_test == 500 and tr.n_source == 2000
    assert "10 in all" in str(tr)
    m1 = E.mnist1d_run(steps=60, every=30)
    assert m1.steps == [30, 60] and len(m1.test_acc) == 2 and m1.n_params == 5210
    assert m1.test_acc[-1] > 0.2                       # far above chance (10%) already
    for fig in (plots.transfer_bars(tr), plots.mnist1d_cnn_curve(m1)):
        assert fig.axes


def test_cheap_plots_draw():
    figs = [plots.photo_filters(E.mean_filter_denoise()), plots.photo_pooling(E.photo_pooling()),
            plots.batchnorm_maps(E.batchnorm_per_channel()),
            plots.conv_geometry(E.conv_geometry(7, 3, 2, 1, 1)), plots.conv_geometry(E.conv_geometry(3, 7))]
    assert all(f.axes for f in figs)


# --- widgets ------------------------------------------------------------------------------------

def test_filter_editor_default_is_the_printed_experiment_and_presets_fill_the_sliders():
    demo = widgets.filter_editor_demo()
    assert str(demo.result) == str(E.filter_photo(E.VERTICAL_EDGE))
    calls = []
    demo.update = (lambda original: (lambda: (calls.append(1), original())))(demo.update)
    before = demo.image.value
    demo.set(preset="mean")
    assert len(calls) == 1                              # nine sliders, one redraw
    assert demo.controls["k11"].value == pytest.approx(1 / 9)
    np.testing.assert_allclose(demo.result.kernel, np.full((3, 3), 1 / 9))
    assert demo.image.value != before
    demo.set(k00=2.0)
    assert demo.result.kernel[0, 0] == 2.0


def test_conv_geometry_demo_default_and_invalid_setting():
    demo = widgets.conv_geometry_demo()
    assert str(demo.result) == str(E.conv_geometry(7, 3, 2, 1, 1))
    demo.set(size=3, kernel=7, pad=0)
    assert not demo.result.valid and "ValueError" in demo.text.value
