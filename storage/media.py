"""The media store: every file of a user under their own folder, with unguessable uuid names, written
atomically (a temporary name, then a rename) so a half-written file never looks complete."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def user_dir(self, user_id: int, kind: str) -> Path:
        folder = self.root / "users" / str(int(user_id)) / kind
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def new_path(self, user_id: int, kind: str, suffix: str) -> Path:
        """A fresh, unused path for a user's file of a kind ("clips", "films"...)."""
        return self.user_dir(user_id, kind) / f"{uuid.uuid4().hex}{suffix}"

    @contextmanager
    def atomic(self, dest: Path) -> Iterator[Path]:
        """Yield a temporary path beside dest; on success it is renamed to dest, on failure removed.

        The temporary name keeps dest's suffix so tools that pick a format by extension still work.
        """
        tmp = dest.with_name(f".{dest.stem}.part{dest.suffix}")
        try:
            yield tmp
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)

    def relative(self, path: Path) -> str:
        return Path(path).resolve().relative_to(self.root).as_posix()

    def resolve(self, relative: str) -> Path:
        """The absolute path of a stored file; refuses paths that escape the store."""
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError("path outside the media store")
        return path

    def clean_partials(self) -> int:
        """Remove temporary files left by a crash; return how many."""
        count = 0
        for tmp in self.root.rglob(".*.part*"):
            tmp.unlink(missing_ok=True)
            count += 1
        return count
