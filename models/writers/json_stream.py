"""Scene objects found in a storyboard JSON text while the model is still writing it."""

from __future__ import annotations

import json


class SceneStream:
    """Finds the scene objects in a storyboard JSON text as it grows, without waiting for the end.

    Fed text deltas; returns each object of the top-level "scenes" array as soon as its closing brace
    arrives. The text is grammar-constrained, so it is well-formed JSON as far as it goes."""

    def __init__(self, array_key: str = "scenes") -> None:
        self.array_key = array_key
        self.text = ""
        self._pos = 0
        self._in_string = self._escape = False
        self._string_start = 0
        self._last_string = ""
        self._key = ""  # the key whose value comes next
        self._stack: list[tuple[str, str, int]] = []  # (bracket, key that opened it, start offset)

    def feed(self, delta: str) -> list[dict]:
        self.text += delta
        done: list[dict] = []
        while self._pos < len(self.text):
            ch, i = self.text[self._pos], self._pos
            self._pos += 1
            if self._in_string:
                if self._escape:
                    self._escape = False
                elif ch == "\\":
                    self._escape = True
                elif ch == '"':
                    self._in_string = False
                    self._last_string = self.text[self._string_start : i + 1]
            elif ch == '"':
                self._in_string, self._string_start = True, i
            elif ch == ":":
                self._key = json.loads(self._last_string)
            elif ch in "{[":
                opener = self._key if self._stack and self._stack[-1][0] == "{" else ""
                self._stack.append((ch, opener, i))
            elif ch in "}]" and self._stack:
                bracket, _, start = self._stack.pop()
                parent = self._stack[-1] if self._stack else None
                if bracket == "{" and parent is not None and parent[0] == "[" and parent[1] == self.array_key:
                    if len(self._stack) == 2:  # root object > scenes array > this scene
                        done.append(json.loads(self.text[start : i + 1]))
        return done
