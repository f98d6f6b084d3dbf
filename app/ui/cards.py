"""The studio's HTML pieces: scene thumbnails, render progress cards, library cards and the film player.

Every picture comes from the ownership-checked /media route; every text a user typed is escaped.
"""

from __future__ import annotations

import html
import json

from app.i18n import t
from app.views import SceneClip
from models.storyboard import Storyboard
from storage.tables import FilmRow, ProjectRow

# Clicking a library card puts its project id into the hidden #lib_pick box, whose input event opens it.
PICK_JS = (
    "const b=document.querySelector('#lib_pick textarea, #lib_pick input');"
    "if(b){{b.value='{id}';b.dispatchEvent(new Event('input',{{bubbles:true}}));}}"
)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def scene_strip(board: Storyboard | None, clips: list[SceneClip], lang: str) -> str:
    """One card per scene: its latest clip's picture (or a placeholder), number, length and badges."""
    if board is None:
        return f'<div class="sr-empty">{_esc(t("no_project_yet", lang))}</div>'
    by_number = {c.number: c for c in clips}
    cards = []
    for scene in board.scenes:
        clip = by_number.get(scene.number)
        if clip is not None and clip.clip_id is not None:
            picture = f'<img src="/media/clip_poster/{clip.clip_id}" alt="" loading="lazy">'
        else:
            picture = f'<div class="sr-thumb-empty">{_esc(t("not_rendered", lang))}</div>'
        badges = []
        if scene.locked:
            badges.append(f'<span class="sr-badge sr-locked">{_esc(t("locked", lang))}</span>')
        if clip is not None and clip.clip_id is not None and not clip.current and not scene.locked:
            badges.append(f'<span class="sr-badge">{_esc(t("changed_since_render", lang))}</span>')
        cards.append(
            f'<figure class="sr-card" data-scene="{scene.number}">{picture}'
            f"<figcaption><b>{scene.number}</b> · {scene.duration:.1f} s {''.join(badges)}</figcaption></figure>"
        )
    return f'<div class="sr-cards sr-strip">{"".join(cards)}</div>'


def render_cards(board: Storyboard, clips: list[SceneClip], active: dict | None, lang: str) -> str:
    """Each scene's state in a render: its clip once finished (playable), the scene in progress with its
    bar and ETA, the others waiting."""
    by_number = {c.number: c for c in clips}
    doing = (active or {}).get("scene")
    cards = []
    for scene in board.scenes:
        clip = by_number.get(scene.number)
        if clip is not None and clip.current and clip.clip_id is not None:
            # The finished clip plays in its card, silent and looping, like a contact sheet come alive.
            body = (f'<video src="/media/clip/{clip.clip_id}" poster="/media/clip_poster/{clip.clip_id}" muted loop '
                    f'autoplay playsinline preload="auto"></video>')  # fmt: skip
            state = t("scene_done", lang)
        elif scene.locked and clip is not None and clip.clip_id is not None:
            body = f'<img src="/media/clip_poster/{clip.clip_id}" alt="">'
            state = "" + t("locked", lang)
        elif doing == scene.number:
            pct = int(100 * (active or {}).get("fraction", 0.0))
            eta = (active or {}).get("eta")
            body = (f'<div class="sr-thumb-empty"><div class="sr-bar"><i style="width:{pct}%"></i></div>'
                    f"{pct}%</div>")  # fmt: skip
            state = t("scene_eta", lang, eta=eta) if eta is not None else t("scene_rendering", lang)
        else:
            body = f'<div class="sr-thumb-empty">{_esc(t("scene_waiting", lang))}</div>'
            state = t("scene_waiting", lang)
        cards.append(
            f'<figure class="sr-card" data-scene="{scene.number}">{body}'
            f"<figcaption><b>{scene.number}</b> · {_esc(state)}</figcaption></figure>"
        )
    return f'<div class="sr-cards">{"".join(cards)}</div>'


def library_cards(projects: list[ProjectRow], films: dict[int, FilmRow], current: int | None, lang: str) -> str:
    if not projects:
        return f'<div class="sr-empty">{_esc(t("library_empty", lang))}</div>'
    cards = []
    for p in projects:
        film = films.get(p.id)
        picture = (f'<img src="/media/film_poster/{film.id}" alt="" loading="lazy">' if film is not None
                   else f'<div class="sr-thumb-empty">{_esc(t("no_film_short", lang))}</div>')  # fmt: skip
        chosen = " sr-chosen" if p.id == current else ""
        status = t(f"status_{p.status}", lang)
        cards.append(
            f'<figure class="sr-card sr-pick{chosen}" data-project="{p.id}" role="button" tabindex="0" '
            f'onclick="{_esc(PICK_JS.format(id=int(p.id)))}">{picture}<figcaption><b>{_esc(p.title or "—")}</b>'
            f"<br><small>{p.created_at.strftime('%Y-%m-%d %H:%M')} · {_esc(status)}</small></figcaption></figure>"
        )
    return f'<div class="sr-cards sr-library">{"".join(cards)}</div>'


def film_player(film: FilmRow | None, lang: str, language: str = "en") -> str:
    """The film with its subtitles as a selectable track, and its downloads."""
    if film is None:
        return f'<div class="sr-empty">{_esc(t("no_film", lang))}</div>'
    label = "中文" if language == "zh" else "English"
    # Subtitles burned into the picture need no track shown on top; otherwise the track is on by default.
    burned = json.loads(film.settings_json or "{}").get("burn_subtitles", True)
    default = "" if burned else " default"
    links = (f'<a href="/media/film/{film.id}" download>MP4</a> · <a href="/media/srt/{film.id}" download>SRT</a>'
             f' · <a href="/media/vtt/{film.id}" download>VTT</a>')  # fmt: skip
    return (
        f'<video src="/media/film/{film.id}" poster="/media/film_poster/{film.id}" controls preload="metadata" '
        f'style="width:100%;max-width:960px;max-height:70vh;background:#000">'
        f'<track kind="subtitles" src="/media/vtt/{film.id}" srclang="{_esc(language)}" label="{label}"{default}></track>'
        f"</video><p class='sr-downloads'>{links} · {film.duration_sec:.1f} s · {_esc(film.resolution)}</p>"
    )
