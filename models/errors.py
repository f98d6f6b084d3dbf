"""Errors meant for the creator. Each carries a message key and parameters; the studio shows it in the
user's language (app/i18n.py holds the texts). Anything else is a bug and is logged, never shown raw."""

from __future__ import annotations


class UserError(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.key}({extra})" if extra else self.key
