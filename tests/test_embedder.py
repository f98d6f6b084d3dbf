"""The built-in embedder puts a Chinese sentence nearer its English meaning than an unrelated one."""

import numpy as np

from models.embedder import E5Embedder


def test_meanings_across_languages_lie_close():
    e = E5Embedder()
    q = e.queries(["森林里的小动物在河边喝水"])[0]
    near, far = e.passages(["small animals drink at a forest river", "a quarterly earnings report"])
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-3
    assert float(near @ q) > float(far @ q) + 0.03


def test_empty_input_gives_no_rows():
    assert E5Embedder().passages([]).shape == (0, 384)
