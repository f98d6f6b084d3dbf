"""Film tab: the current project's film with its subtitles and downloads, re-assembly (music, transitions,
subtitles, a colour look or the creator's own .cube LUT) from the clips already rendered, and the finishing
pass of final renders (frame interpolation, upscaling), which finishes the rendered clips anew and
assembles the film again without rendering a scene again."""

from __future__ import annotations

import gradio as gr
from anyio import to_thread

from app.i18n import t
from app.studio import Studio
from app.ui.cards import film_player
from app.ui.common import current_user, handler, language, need_project
from app.ui.render import Followed, follow_render
from models.errors import UserError
from models.music import MOODS

TRANSITIONS = ["storyboard", "cut", "fade", "dissolve", "wipe", "slide"]
LOOKS = ["none", "warm", "cool", "filmic", "bw", "lut"]
MUSIC = ["library", "procedural", "file", "none"]
FACTORS = ["preset", "1", "2", "4"]  # "preset": the engine preset's own; 1: off


def factor_choices(lang: str, preset_value: int) -> list[tuple[str, str]]:
    """The finishing dropdown's choices in the user's language; the first names what the engine preset does."""
    named = t("finish_off", lang) if preset_value == 1 else f"× {preset_value}"
    return [(t("finish_preset", lang, value=named), "preset"), (t("finish_off", lang), "1"), ("× 2", "2"),
            ("× 4", "4")]  # fmt: skip


def layout(shared: dict, i18n, settings) -> None:
    shared["film_player"] = gr.HTML(elem_id="film_player")
    m, a = settings.music, settings.assembly
    with gr.Accordion(i18n("reassemble_title"), open=True):
        gr.Markdown(i18n("reassemble_note"))
        with gr.Row():
            shared["ra_music"] = gr.Dropdown([(i18n(f"musicsrc_{k}"), k) for k in MUSIC], value=m.source,
                                             label=i18n("music_source"), elem_id="ra_music")  # fmt: skip
            shared["ra_mood"] = gr.Dropdown([(i18n(f"mood_{k}"), k) for k in MOODS], value=m.mood,
                                            label=i18n("music_mood"), elem_id="ra_mood")  # fmt: skip
            shared["ra_volume"] = gr.Slider(0.0, 1.5, value=m.volume, step=0.05, label=i18n("music_volume"))
        shared["ra_file"] = gr.File(label=i18n("music_file"), file_types=["audio"], type="filepath", visible=False,
                                    elem_id="ra_file")  # fmt: skip
        with gr.Row():
            shared["ra_transition"] = gr.Dropdown([(i18n(f"transition_{k}"), k) for k in TRANSITIONS],
                                                  value="storyboard", label=i18n("transition_all"),
                                                  elem_id="ra_transition")  # fmt: skip
            shared["ra_burn"] = gr.Checkbox(a.burn_subtitles, label=i18n("burn_subtitles"), elem_id="ra_burn")
            shared["ra_size"] = gr.Slider(12, 60, value=a.subtitle_size, step=1, label=i18n("subtitle_size"))
        with gr.Row():
            shared["ra_look"] = gr.Dropdown([(i18n(f"look_{k}"), k) for k in LOOKS], value="none",
                                            label=i18n("colour_look"), elem_id="ra_look")  # fmt: skip
            shared["ra_lut"] = gr.File(label=i18n("lut_file"), file_types=[".cube"], type="filepath", visible=False,
                                       elem_id="ra_lut")  # fmt: skip
        shared["ra_go"] = gr.Button(i18n("reassemble"), variant="primary", elem_id="ra_go")
    with gr.Accordion(i18n("finish_title"), open=False, elem_id="finish_box"):
        gr.Markdown(i18n("finish_note"))
        with gr.Row():
            # When a project opens, the first entry names what its preset does (show_finish).
            plain = [(i18n("finish_preset_plain"), "preset"), (i18n("finish_off"), "1"), ("× 2", "2"), ("× 4", "4")]
            shared["fi_interpolate"] = gr.Dropdown(plain, value="preset", label=i18n("finish_interpolate"),
                                                   elem_id="fi_interpolate")  # fmt: skip
            shared["fi_upscale"] = gr.Dropdown(plain, value="preset", label=i18n("finish_upscale"),
                                               elem_id="fi_upscale")  # fmt: skip
        shared["fi_go"] = gr.Button(i18n("finish_go"), variant="primary", elem_id="fi_go")


def wire(studio: Studio, shared: dict) -> None:
    default = studio.settings.server.language

    @handler(studio)
    def show_film(project_id, request: gr.Request):
        lang = language(request, default)
        if not project_id:
            return film_player(None, lang)
        user, pid = current_user(studio, request), need_project(project_id)
        return film_player(studio.latest_film(user, pid), lang, studio.project(user, pid).language)

    @handler(studio)
    def reassemble(project_id, music, mood, volume, upload, transition, burn, size, look="none", lut=None,
                   request: gr.Request = None, progress=gr.Progress()):  # fmt: skip
        lang = language(request, default)
        user, pid = current_user(studio, request), need_project(project_id)
        if music not in MUSIC or mood not in MOODS or transition not in TRANSITIONS or look not in LOOKS:
            raise UserError("reassemble_invalid")
        progress(0.1, desc=t("assembling", lang))
        music_file = None
        if music == "file":
            if not upload:
                raise UserError("music_missing")
            music_file = studio.keep_upload(user, upload)  # Gradio's cache is shared and temporary
        lut_file = None
        if look == "lut":
            if not lut:
                raise UserError("lut_missing")
            lut_file = studio.keep_lut(user, lut)
        film = studio.reassemble(
            user, pid, music=music, mood=mood, music_volume=float(volume), music_file=music_file,
            transition=None if transition == "storyboard" else transition, burn_subtitles=bool(burn),
            subtitle_size=int(size), look="none" if look == "lut" else look, lut=lut_file,
        )  # fmt: skip
        return show_film(project_id, request), t("render_done", lang, id=film.id, seconds=film.duration_sec)

    @handler(studio)
    def show_finish(project_id, request: gr.Request):
        """The project's finishing choices, the preset's own named in the first entry of each list."""
        lang = language(request, default)
        if not project_id:
            return gr.skip(), gr.skip()
        user, pid = current_user(studio, request), need_project(project_id)
        choices, preset = studio.render_choices(user, pid), studio.preset_finish(user, pid)
        return (
            gr.Dropdown(factor_choices(lang, preset.interpolate), value=str(choices.interpolate or "preset")),
            gr.Dropdown(factor_choices(lang, preset.upscale), value=str(choices.upscale or "preset")),
        )

    @handler(studio)
    async def finish_film(project_id, interpolate, upscale, request: gr.Request, progress=gr.Progress()):
        """Save the finishing choice, then a final render: scenes already rendered are only finished anew.
        Async like the Render tab's handlers: it waits on the event loop, the studio's calls run in a thread."""
        lang = language(request, default)
        user = await to_thread.run_sync(current_user, studio, request)
        pid = need_project(project_id)
        # UserError for anything but preset/1/2/4
        await to_thread.run_sync(studio.set_finish, user, pid, interpolate, upscale)
        followed = Followed()
        async for text, _ in follow_render(studio, user, pid, "final", lang, progress, followed):
            yield gr.skip(), text
        if followed.cancelled:
            yield gr.skip(), t("render_cancelled", lang)
            return
        film = followed.film
        player = await to_thread.run_sync(show_film, project_id, request)
        yield player, t("render_done", lang, id=film.id, seconds=film.duration_sec)

    shared["fi_go"].click(
        finish_film, [shared["project"], shared["fi_interpolate"], shared["fi_upscale"]],
        [shared["film_player"], shared["message"]], api_name="finish_film", concurrency_limit=None,
    )  # fmt: skip
    shared["project"].change(show_finish, [shared["project"]], [shared["fi_interpolate"], shared["fi_upscale"]],
                             api_visibility="private")  # fmt: skip
    shared["ra_go"].click(
        reassemble,
        [shared["project"], shared["ra_music"], shared["ra_mood"], shared["ra_volume"], shared["ra_file"],
         shared["ra_transition"], shared["ra_burn"], shared["ra_size"], shared["ra_look"], shared["ra_lut"]],
        [shared["film_player"], shared["message"]], api_name="reassemble", concurrency_id="assemble",
        concurrency_limit=1,
    )  # fmt: skip
    # The file pickers show only when their choice needs them.
    shared["ra_music"].change(lambda m: gr.File(visible=m == "file"), [shared["ra_music"]], [shared["ra_file"]],
                              api_visibility="private", queue=False)  # fmt: skip
    shared["ra_look"].change(lambda v: gr.File(visible=v == "lut"), [shared["ra_look"]], [shared["ra_lut"]],
                             api_visibility="private", queue=False)  # fmt: skip
    shared["project"].change(show_film, [shared["project"]], [shared["film_player"]], api_name="film")
    shared["film_id"].change(show_film, [shared["project"]], [shared["film_player"]], api_visibility="private")
