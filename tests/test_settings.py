import subprocess
import sys

import pytest

from app.settings import SettingsError, load_settings
from tests.conftest import ROOT


def test_defaults_file_loads_and_is_typed():
    s = load_settings(environ={})
    assert s.server.port == 7860 and s.server.host == "127.0.0.1"
    assert s.render.frame_size() == (832, 480)
    assert "animatic" in s.video.presets


def test_environment_overrides_keep_types():
    s = load_settings(environ={"STORYREEL_SERVER__PORT": "7999", "STORYREEL_ASSEMBLY__BURN_SUBTITLES": "false"})
    assert s.server.port == 7999
    assert s.assembly.burn_subtitles is False


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[server]\nport = 'abc'\n", "server.port"),
        ("[server]\nport = 70000\n", "server.port"),
        ("[render]\naspect = '4:3'\n", "render.aspect"),
        ("[render]\nshort_side = 470\n", "render.short_side"),
        ("[assembly]\ncrf = 99\n", "assembly.crf"),
        ("[server]\nprot = 1\n", "server.prot"),
        ("[video]\nengine = 'nope'\n", "video.engine"),
    ],
)
def test_bad_value_names_the_key(tmp_path, toml, key):
    path = tmp_path / "settings.toml"
    path.write_text(toml)
    with pytest.raises(SettingsError) as err:
        load_settings(path, environ={})
    assert key in str(err.value)


def test_lan_without_login_is_refused():
    with pytest.raises(SettingsError, match="require_login"):
        load_settings(environ={}, server={"host": "0.0.0.0"})
    assert load_settings(environ={}, server={"host": "0.0.0.0"}, auth={"require_login": True}).server.host == "0.0.0.0"


def test_bad_settings_file_stops_startup_with_the_key(tmp_path):
    bad = tmp_path / "settings.toml"
    bad.write_text((ROOT / "settings.toml").read_text().replace("port = 7860", "port = -5"))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "launch.py"), "--settings", str(bad), "--no-browser"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "server.port" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_lan_flag_without_login_is_refused_at_startup():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "launch.py"), "--lan", "--no-browser"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert "require_login" in proc.stderr


def test_check_prints_capability_table():
    proc = subprocess.run([sys.executable, str(ROOT / "launch.py"), "--check"], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for row in ("Python", "torch", "device", "VRAM", "ffmpeg", "CJK font", "preset animatic"):
        assert row in proc.stdout


def test_a_typo_in_a_diffusion_preset_stops_start_up_naming_the_key(tmp_path):
    from app.settings import SettingsError, load_settings

    load_settings(environ={}, paths={"data_dir": str(tmp_path)})  # the shipped presets are all valid
    bad = {"wan21-t2v-1_3b": {"cache": "turbo"}}
    with pytest.raises(SettingsError, match="cache"):
        load_settings(environ={}, paths={"data_dir": str(tmp_path)}, video={"presets": bad})
