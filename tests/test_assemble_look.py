"""Colour looks and user LUTs are applied in the film's single ffmpeg pass (app/assemble.py): each look moves
the colours the way its name says, a .cube LUT is applied as written, and a bad LUT is refused by name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.assemble import ClipPart, assemble, check_lut
from models.errors import UserError
from tests.test_assemble import frame_at, make_clip, options


@pytest.fixture(scope="module")
def grey_clip(tmp_path_factory) -> Path:
    # A mid grey with a little warmth in it: every look has something to move.
    return make_clip(tmp_path_factory.mktemp("look") / "grey.mp4", "0x8C8070", seconds=1.0)


def film_pixel(clip: Path, tmp_path: Path, **extra) -> np.ndarray:
    film = assemble([ClipPart(path=clip, duration=1.0)], tmp_path / "film.mp4", options(burn_subtitles=False, **extra))
    assert film.stream_copied == (not extra)  # a look or a LUT needs the picture re-encoded
    return frame_at(film.path, 4)[80:110, 140:180].reshape(-1, 3).mean(axis=0)


def write_cube(path: Path, size: int, fn) -> Path:
    grid = np.linspace(0.0, 1.0, size)
    rows = [f"{' '.join(f'{v:.6f}' for v in fn(r, g, b))}" for b in grid for g in grid for r in grid]
    path.write_text("TITLE \"test\"\n# red fastest, as .cube files are written\n"
                    f"LUT_3D_SIZE {size}\n" + "\n".join(rows) + "\n", encoding="utf-8")  # fmt: skip
    return path


def test_each_look_changes_the_colours_as_named(grey_clip, tmp_path):
    plain = film_pixel(grey_clip, tmp_path)
    warm = film_pixel(grey_clip, tmp_path, look="warm")
    cool = film_pixel(grey_clip, tmp_path, look="cool")
    bw = film_pixel(grey_clip, tmp_path, look="bw")
    filmic = film_pixel(grey_clip, tmp_path, look="filmic")

    def warmth(p):
        return float(p[0] - p[2])  # red minus blue

    assert warmth(warm) > warmth(plain) + 10
    assert warmth(cool) < warmth(plain) - 10
    assert np.ptp(bw) < 3 and np.ptp(plain) > 20  # black and white: the channels agree
    assert np.abs(filmic - plain).max() > 4  # filmic grades the picture too


def test_a_cube_lut_is_applied(grey_clip, tmp_path):
    inverted = write_cube(tmp_path / "invert.cube", 9, lambda r, g, b: (1 - r, 1 - g, 1 - b))
    plain = film_pixel(grey_clip, tmp_path)
    lut = film_pixel(grey_clip, tmp_path, lut=inverted)
    assert np.abs(lut - (255 - plain)).max() < 8, (plain, lut)


@pytest.mark.parametrize(
    "text",
    ["", "LUT_3D_SIZE 2\n0 0 0\n1 1 1\n", "LUT_3D_SIZE 2\n" + "0 0 zero\n" * 8, "not a lut at all\n",
     "LUT_3D_SIZE 999\n"],
)  # fmt: skip
def test_a_bad_lut_is_refused_by_name(grey_clip, tmp_path, text):
    bad = tmp_path / "broken.cube"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as err:
        check_lut(bad)
    assert err.value.key == "lut_invalid" and err.value.params["name"] == "broken.cube"
    with pytest.raises(UserError):
        assemble([ClipPart(path=grey_clip, duration=1.0)], tmp_path / "film.mp4", options(lut=bad))
    assert not (tmp_path / "film.mp4").exists()
