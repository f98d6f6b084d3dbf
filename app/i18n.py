"""Every text the studio shows, in English and Chinese. Messages for UserError keys live here too."""

from __future__ import annotations

from models.errors import UserError

TEXTS: dict[str, dict[str, str]] = {
    # errors
    "idea_empty": {"en": "Please type an idea first.", "zh": "请先输入一个创意。"},
    "idea_too_long": {
        "en": "The idea is too long: keep it under {limit} characters.",
        "zh": "创意太长了：请控制在 {limit} 个字符以内。",
    },
    "idea_no_words": {
        "en": "The idea needs some words, not only symbols or emoji.",
        "zh": "创意需要包含文字，不能只有符号或表情。",
    },
    "writer_unavailable": {
        "en": "The storyboard model cannot be used: {detail}. Check [storyboard] in settings.toml, or set "
        'writer = "planner".',
        "zh": '无法使用分镜模型：{detail}。请检查 settings.toml 的 [storyboard] 设置，或设置 writer = "planner"。',
    },
    "target_invalid": {
        "en": "The film length must be between {low} and {high} seconds.",
        "zh": "影片时长必须在 {low} 到 {high} 秒之间。",
    },
    "scene_missing": {
        "en": "There is no scene {number}: the storyboard has {count} scenes.",
        "zh": "没有第 {number} 个镜头：分镜共有 {count} 个镜头。",
    },
    "scene_last": {"en": "A storyboard needs at least one scene.", "zh": "分镜至少需要一个镜头。"},
    "scene_limit": {"en": "A storyboard holds at most {limit} scenes.", "zh": "分镜最多只能有 {limit} 个镜头。"},
    "scene_too_short": {
        "en": "Scene {number} is too short to split (it needs at least 2 seconds).",
        "zh": "第 {number} 个镜头太短，无法拆分（至少需要 2 秒）。",
    },
    "scene_unsplittable": {
        "en": "Scene {number} has only one sentence of narration; edit it before splitting.",
        "zh": "第 {number} 个镜头的旁白只有一句，请先编辑再拆分。",
    },
    "scene_merge_last": {
        "en": "Scene {number} is the last one: there is no next scene to merge it with.",
        "zh": "第 {number} 个镜头是最后一个，没有可合并的下一个镜头。",
    },
    "instruction_empty": {
        "en": 'Say how to change the scene, e.g. "more dramatic" or "at night".',
        "zh": "请说明如何修改镜头，例如“更戏剧化”或“夜晚”。",
    },
    "instruction_too_long": {
        "en": "The instruction is too long: keep it under {limit} characters.",
        "zh": "修改说明太长：请控制在 {limit} 个字符以内。",
    },
    "instruction_unknown": {
        "en": "Without a storyboard model only simple instructions work (night, rain, dramatic, sunset…); "
        "write it in English or choose an LLM writer.",
        "zh": "未启用分镜模型时只支持简单说明（夜晚、雨、戏剧、日落……）；请用英文描述，或选择 LLM 分镜模型。",
    },
    "project_missing": {"en": "That project does not exist.", "zh": "该项目不存在。"},
    "storyboard_invalid": {"en": "The storyboard was not saved: {detail}", "zh": "分镜未保存：{detail}"},
    "storyboard_empty": {"en": "Create a storyboard first.", "zh": "请先生成分镜。"},
    "film_no_clips": {"en": "There are no clips to assemble.", "zh": "没有可拼接的片段。"},
    "clip_unreadable": {
        "en": "The clip of scene {scene} cannot be read; render it again.",
        "zh": "第 {scene} 个分镜的片段无法读取，请重新渲染。",
    },
    "clip_missing": {
        "en": "The clip of scene {scene} is missing; render the film again.",
        "zh": "第 {scene} 个分镜的片段不见了，请重新渲染影片。",
    },
    "narration_unreadable": {
        "en": "The narration audio of scene {scene} cannot be read; render the film again.",
        "zh": "第 {scene} 个分镜的旁白音频无法读取，请重新渲染影片。",
    },
    "music_unreadable": {
        "en": "The music file {name} is not audio that can be played; choose another file.",
        "zh": "音乐文件 {name} 不是可播放的音频，请换一个文件。",
    },
    "film_failed": {
        "en": "The film could not be assembled; the details have been logged. Please try again.",
        "zh": "影片合成失败，详情已记录日志。请重试。",
    },
    "narration_failed": {
        "en": "The narration of scene {scene} could not be spoken; check the voice in settings.toml [narration].",
        "zh": "第 {scene} 个分镜的旁白无法合成语音，请检查 settings.toml 的 [narration] 语音设置。",
    },
    "film_render_first": {
        "en": "Some scenes have no rendered clip yet: render the film first.",
        "zh": "部分分镜还没有渲染好的片段：请先渲染影片。",
    },
    "render_busy": {"en": "This project is already rendering.", "zh": "该项目正在渲染中。"},
    "render_failed": {"en": "The render failed: {detail}", "zh": "渲染失败：{detail}"},
    "render_cancelled": {"en": "The render was cancelled.", "zh": "渲染已取消。"},
    "queue_full": {
        "en": "You already have {limit} renders waiting or running: wait for one to finish, or cancel one.",
        "zh": "您已有 {limit} 个渲染任务在排队或进行中：请等待其中一个完成，或取消一个。",
    },
    "job_missing": {"en": "That job does not exist.", "zh": "该任务不存在。"},
    "queue_move_invalid": {
        "en": "A job moves up or down, not {direction!r}.",
        "zh": "任务只能上移（up）或下移（down），不能是 {direction!r}。",
    },
    "render_quality_invalid": {
        "en": "The quality is final or draft, not {quality!r}.",
        "zh": "质量只能是 final（成片）或 draft（草稿），不能是 {quality!r}。",
    },
    "worker_crashed": {
        "en": "The render worker stopped twice while rendering this; the details are in the studio's log. "
        "Try a draft render, a smaller [render] short_side, or another engine preset.",
        "zh": "渲染进程在处理此任务时两次中止，详情见工作室日志。请尝试草稿渲染、调小 [render] short_side，或换一个引擎预设。",
    },
    "writer_crashed": {
        "en": "The storyboard writer stopped twice while writing this, so nothing was saved; the details are in "
        'the studio\'s log. Try again, try a shorter idea, or set writer = "planner" in settings.toml '
        "[storyboard].",
        "zh": "分镜写作进程在写这个分镜时两次中止，因此没有保存任何内容，详情见工作室日志。请重试、缩短创意，或在 "
        'settings.toml 的 [storyboard] 中设置 writer = "planner"。',
    },
    "render_out_of_memory": {
        "en": "Scene {scene} ran out of memory with engine {engine}, even at the lowest memory setting it has. "
        "Render a draft, lower [render] short_side or the scene's length in settings.toml, choose a smaller "
        "preset, or close other programs that use the GPU.",
        "zh": "第 {scene} 个镜头在引擎 {engine} 上内存不足（已是最低内存设置）。请渲染草稿、在 settings.toml 中"
        "调小 [render] short_side 或缩短镜头时长、选择更小的预设，或关闭其他占用显卡的程序。",
    },
    "login_required": {"en": "Please log in again.", "zh": "请重新登录。"},
    "admin_only": {"en": "Only an administrator can do this.", "zh": "只有管理员可以执行此操作。"},
    "engine_missing": {
        "en": "The video engine {engine} is not available: {detail}",
        "zh": "视频引擎 {engine} 不可用：{detail}",
    },
    "model_missing": {
        "en": "The model of preset {preset} is not downloaded yet. Run: {command}",
        "zh": "预设 {preset} 的模型尚未下载。请运行：{command}",
    },
    "engine_option_failed": {
        "en": "The video engine {engine} cannot use {option}: {detail}",
        "zh": "视频引擎 {engine} 无法使用 {option}：{detail}",
    },
    "internal": {
        "en": "Something went wrong; it has been logged. Please try again.",
        "zh": "出了点问题，已记录日志。请重试。",
    },
    "username_invalid": {
        "en": "User names are 1–100 letters, digits or . @ + - _ characters.",
        "zh": "用户名须为 1–100 个字母、数字或 . @ + - _ 字符。",
    },
    "password_short": {"en": "Passwords need at least {n} characters.", "zh": "密码至少需要 {n} 个字符。"},
    "role_invalid": {"en": "A role is either admin or user.", "zh": "角色只能是 admin 或 user。"},
    "username_taken": {"en": "That user name is taken.", "zh": "该用户名已被占用。"},
    "user_missing": {"en": "That user does not exist.", "zh": "该用户不存在。"},
    "login_throttled": {
        "en": "Too many failed logins: try again in {seconds} s.",
        "zh": "登录失败次数过多：请在 {seconds} 秒后重试。",
    },
    "user_saved": {"en": "Saved user {name}.", "zh": "已保存用户 {name}。"},
    "password_changed": {"en": "Password changed.", "zh": "密码已修改。"},
    "moderation_blocked": {
        "en": "{message_en} Nothing was saved or rendered.",
        "zh": "{message_zh} 未保存，也不会渲染。",
    },
    "moderation_warn": {
        "en": "{message_en} Tick “Continue despite warnings” to go on.",
        "zh": "{message_zh} 如确认继续，请勾选“忽略警告继续”。",
    },
    "moderation_rule_invalid": {
        "en": "Rule row {row} needs a category, a word or phrase, and block or warn.",
        "zh": "第 {row} 行规则需要类别、词语以及 block 或 warn。",
    },
    "rules_saved": {"en": "Saved {n} moderation rules.", "zh": "已保存 {n} 条审核规则。"},
    "moderation_clip_blocked": {
        "en": "Scene {scene} was kept out of the film: its frames were flagged for {category_en}. Change the scene "
        "and render again.",
        "zh": "第 {scene} 个镜头未放入影片：画面被判定涉及{category_zh}。请修改该镜头后重新渲染。",
    },
    "moderation_example_invalid": {
        "en": "An example needs a text (up to 500 characters), a category, and block or allow.",
        "zh": "示例需要文本（最多 500 个字符）、类别，以及 block 或 allow。",
    },
    "example_saved": {"en": "Example saved; it is used from the next check.", "zh": "示例已保存，下次检查即生效。"},
    "example_removed": {"en": "Example {id} removed.", "zh": "已删除示例 {id}。"},
    "example_missing": {
        "en": "Pick an example to remove: type its number from the table.",
        "zh": "请选择要删除的示例：填写表格中的编号。",
    },
    "text_too_long": {
        "en": "The text is too long: keep each field under {limit} characters.",
        "zh": "文本太长：每一项请控制在 {limit} 个字符以内。",
    },
    # UI
    "app_title": {"en": "Storyreel: your local AI film studio", "zh": "Storyreel：本地 AI 影片工作室"},
    "tab_create": {"en": "Create", "zh": "创作"},
    "tab_storyboard": {"en": "Storyboard", "zh": "分镜"},
    "tab_render": {"en": "Render", "zh": "渲染"},
    "tab_film": {"en": "Film", "zh": "影片"},
    "tab_library": {"en": "Library", "zh": "作品库"},
    "tab_admin": {"en": "Admin", "zh": "管理"},
    "idea_label": {"en": "Your idea (Chinese or English)", "zh": "你的创意（中文或英文）"},
    "idea_placeholder": {
        "en": "A lighthouse keeper finds a message in a bottle…",
        "zh": "灯塔看守人在海边捡到一个漂流瓶……",
    },
    "write_storyboard": {"en": "Write storyboard", "zh": "生成分镜"},
    "save_storyboard": {"en": "Save storyboard", "zh": "保存分镜"},
    "render_film": {"en": "Render film", "zh": "渲染影片"},
    "cancel": {"en": "Cancel", "zh": "取消"},
    "refresh": {"en": "Refresh", "zh": "刷新"},
    "open": {"en": "Open", "zh": "打开"},
    "project": {"en": "Project", "zh": "项目"},
    "status": {"en": "Status", "zh": "状态"},
    "storyboard_saved": {
        "en": "Storyboard saved: {n} scenes, {seconds:.1f} s.",
        "zh": "分镜已保存：{n} 个镜头，共 {seconds:.1f} 秒。",
    },
    "storyboard_writing": {"en": "Writing the storyboard: scene {n}…", "zh": "正在生成分镜：第 {n} 个镜头……"},
    "storyboard_written": {
        "en": "Project {id}: {n} scenes written. Edit them in the Storyboard tab.",
        "zh": "项目 {id}：已生成 {n} 个镜头，可在“分镜”页编辑。",
    },
    "storyboard_written_timing": {
        "en": "Project {id}: {n} scenes written. Edit them in the Storyboard tab. Their durations are estimates "
        "until the narration has been spoken (a few seconds); saving or reopening the storyboard shows the spoken "
        "lengths.",
        "zh": "项目 {id}：已生成 {n} 个镜头，可在“分镜”页编辑。旁白朗读完成前（几秒钟）时长为估计值；"
        "保存或重新打开分镜即可看到朗读后的时长。",
    },
    "render_progress": {"en": "Rendering scene {scene} of {total}…", "zh": "正在渲染第 {scene}/{total} 个镜头……"},
    "render_progress_eta": {
        "en": "Rendering scene {scene} of {total}… about {eta} s left for this scene.",
        "zh": "正在渲染第 {scene}/{total} 个镜头……本镜头约剩 {eta} 秒。",
    },
    "finish_progress": {
        "en": "Finishing scene {scene} of {total} (frame interpolation, upscaling)… about {eta} s left for this scene.",
        "zh": "正在精修第 {scene}/{total} 个镜头（插帧、放大）……本镜头约剩 {eta} 秒。",
    },
    "render_cached": {
        "en": "Scene {scene} unchanged: reusing its clip.",
        "zh": "第 {scene} 个镜头未改动，复用已有片段。",
    },
    "narrating": {"en": "Recording the narration…", "zh": "正在录制旁白……"},
    "assembling": {"en": "Assembling the film…", "zh": "正在合成影片……"},
    "render_done": {"en": "Done: film {id}, {seconds:.1f} s.", "zh": "完成：影片 {id}，时长 {seconds:.1f} 秒。"},
    "queued": {"en": "Waiting for the renderer…", "zh": "排队等待渲染……"},
    "no_film": {"en": "No film yet: render the project first.", "zh": "还没有影片：请先渲染项目。"},
    "preview_note": {
        "en": "Animatic preview: a procedural sketch of each scene, not the final video model.",
        "zh": "动态分镜预览：按场景程序绘制的草图，并非最终视频模型的画面。",
    },
    "users": {"en": "Users", "zh": "用户"},
    "username": {"en": "User name", "zh": "用户名"},
    "password": {"en": "Password", "zh": "密码"},
    "new_password": {"en": "New password", "zh": "新密码"},
    "role": {"en": "Role", "zh": "角色"},
    "active": {"en": "Active (may log in)", "zh": "启用（可登录）"},
    "save_user": {"en": "Create or update user", "zh": "创建或更新用户"},
    "change_password": {"en": "Change my password", "zh": "修改我的密码"},
    "account": {"en": "My account", "zh": "我的账户"},
    "reassemble_title": {
        "en": "Re-assemble with other music, transitions, subtitles or colour look",
        "zh": "更换音乐、转场、字幕或色调后重新合成",
    },
    "reassemble_note": {
        "en": "Uses the clips already rendered: nothing is rendered again.",
        "zh": "使用已渲染的片段，不会重新渲染。",
    },
    "music_source": {"en": "Music", "zh": "音乐"},
    "music_mood": {"en": "Mood", "zh": "情绪"},
    "music_volume": {"en": "Music volume", "zh": "音乐音量"},
    "music_file": {"en": "Your own music file", "zh": "自己的音乐文件"},
    "transition_all": {"en": "Transition for every scene", "zh": "所有镜头的转场"},
    "burn_subtitles": {"en": "Burn subtitles into the picture", "zh": "字幕烧录进画面"},
    "subtitle_size": {"en": "Subtitle size", "zh": "字幕大小"},
    "reassemble": {"en": "Re-assemble film", "zh": "重新合成影片"},
    "finish_title": {
        "en": "Finishing of the final render: frame interpolation and upscaling",
        "zh": "终版渲染的精修：插帧与放大",
    },
    "finish_note": {
        "en": "Applied to final renders only (drafts stay fast). Changing it renders nothing again: each scene's "
        "rendered clip is kept and only finished anew. Interpolation multiplies the frame rate (16 fps × 2 = 32; at "
        "most 120 fps), upscaling the picture's size; the film keeps its length. On a CPU both are slow at full size.",
        "zh": "仅用于终版渲染（草稿保持快速）。更改后不会重新渲染：每个镜头已渲染的片段会保留，只重新精修。"
        "插帧使帧率倍增（16 fps × 2 = 32，最高 120 fps），放大使画面尺寸倍增；影片时长不变。在 CPU 上全尺寸处理较慢。",
    },
    "finish_interpolate": {"en": "Frame interpolation (RIFE)", "zh": "插帧（RIFE）"},
    "finish_upscale": {"en": "Upscaling (Real-ESRGAN)", "zh": "放大（Real-ESRGAN）"},
    "finish_preset": {"en": "As the engine preset says ({value})", "zh": "按引擎预设（{value}）"},
    "finish_preset_plain": {"en": "As the engine preset says", "zh": "按引擎预设"},
    "finish_off": {"en": "Off", "zh": "关闭"},
    "finish_go": {"en": "Finish and assemble", "zh": "精修并合成"},
    "finish_invalid": {
        "en": "Frame interpolation and upscaling take 1 (off), 2 or 4; got {value}.",
        "zh": "插帧和放大的倍数只能是 1（关闭）、2 或 4；收到的是 {value}。",
    },
    "scene_number": {"en": "Scene", "zh": "镜头"},
    "operation": {"en": "Edit", "zh": "操作"},
    "op_add": {"en": "Add a scene after", "zh": "在其后添加镜头"},
    "op_delete": {"en": "Delete it", "zh": "删除"},
    "op_move": {"en": "Move it to…", "zh": "移动到……"},
    "op_earlier": {"en": "Move earlier", "zh": "前移"},
    "op_later": {"en": "Move later", "zh": "后移"},
    "op_split": {"en": "Split it in two", "zh": "拆分为两个"},
    "op_merge": {"en": "Merge with the next", "zh": "与下一个合并"},
    "move_to": {"en": "Move to position", "zh": "移动到位置"},
    "apply_edit": {"en": "Apply edit", "zh": "执行操作"},
    "rewrite_instruction": {"en": "Rewrite this scene: your instruction", "zh": "改写该镜头：你的要求"},
    "rewrite_placeholder": {"en": "more dramatic / at night / add rain", "zh": "更有戏剧性 / 改成夜晚 / 加一场雨"},
    "rewrite_scene": {"en": "Rewrite scene", "zh": "改写镜头"},
    "confirm_warnings": {"en": "Continue despite warnings", "zh": "忽略警告继续"},
    "moderation_rules": {"en": "Moderation rules", "zh": "审核规则"},
    "save_rules": {"en": "Save rules", "zh": "保存规则"},
    "audit_log": {"en": "Moderation audit log", "zh": "审核日志"},
    "moderation_examples": {"en": "Moderation examples", "zh": "审核示例"},
    "example_text": {"en": "Example text", "zh": "示例文本"},
    "example_category": {"en": "Category", "zh": "类别"},
    "example_action": {"en": "Block or allow", "zh": "拦截或放行"},
    "example_block": {"en": "Block: texts like this are refused", "zh": "拦截：类似文本将被拒绝"},
    "example_allow": {"en": "Allow: texts like this pass", "zh": "放行：类似文本可以通过"},
    "example_block_short": {"en": "block", "zh": "拦截"},
    "example_allow_short": {"en": "allow", "zh": "放行"},
    "example_add": {"en": "Add example", "zh": "添加示例"},
    "example_number": {"en": "Example number", "zh": "示例编号"},
    "example_remove": {"en": "Remove example", "zh": "删除示例"},
    "examples_help": {
        "en": "Examples teach the semantic check at once: a text close in meaning to a block example is refused "
        "with its category; one close to an allow example passes. Every change is in the audit log.",
        "zh": "示例立即用于语义审核：与“拦截”示例意思相近的文本会按其类别被拒绝；与“放行”示例相近的文本可以通过。每次修改都会记入审核日志。",
    },
    "jobs": {"en": "Jobs", "zh": "任务"},
    # -- the studio's pages (issue 13) --
    "cell_invalid": {
        "en": "Not saved: {where_en}{field_en} {problem_en}.",
        "zh": "未保存：{where_zh}{field_zh}{problem_zh}。",
    },
    "create_invalid": {"en": "These choices cannot be used: {detail}", "zh": "这些选项无法使用：{detail}"},
    "edit_unknown": {"en": "Unknown edit {operation}.", "zh": "未知的操作 {operation}。"},
    "language_mismatch": {
        "en": "The idea is written in {found_en}, but the film's language is set to {wanted_en}: write the idea in that "
        "language, or choose Auto.",
        "zh": "创意使用的语言是{found_zh}，但影片语言设为{wanted_zh}：请用该语言写创意，或选择“自动”。",
    },
    "title_invalid": {"en": "A title needs 1 to {limit} characters.", "zh": "标题需要 1 到 {limit} 个字符。"},
    "scene_locked": {
        "en": "Scene {number} is locked: unlock it to render or re-roll it.",
        "zh": "第 {number} 个镜头已锁定：解锁后才能渲染或重新生成。",
    },
    "lut_invalid": {
        "en": "{name} is not a 3D .cube LUT (it needs LUT_3D_SIZE and that many³ rows of three numbers).",
        "zh": "{name} 不是有效的 3D .cube 调色文件（需要 LUT_3D_SIZE 及相应数量的三数字行）。",
    },
    "lut_missing": {"en": "Choose a .cube LUT file first.", "zh": "请先选择一个 .cube 调色文件。"},
    "music_missing": {"en": "Choose a music file first.", "zh": "请先选择一个音乐文件。"},
    "reassemble_invalid": {
        "en": "Choose the music, mood, transition and look from the lists.",
        "zh": "请从列表中选择音乐、情绪、转场和色调。",
    },
    "no_project": {
        "en": "Open a project first (Create, the project list, or the Library).",
        "zh": "请先打开一个项目（创作页、项目列表或作品库）。",
    },
    "delete_unconfirmed": {"en": "Confirm the deletion first.", "zh": "请先确认删除。"},
    "queue_cannot_move": {"en": "Job {job} cannot move further.", "zh": "任务 {job} 无法再移动。"},
    "queue_up_done": {"en": "Job {job} moved up.", "zh": "任务 {job} 已上移。"},
    "queue_down_done": {"en": "Job {job} moved down.", "zh": "任务 {job} 已下移。"},
    "queue_cancel_done": {"en": "Job {job} cancelled.", "zh": "任务 {job} 已取消。"},
    "interface_language": {"en": "Interface language", "zh": "界面语言"},
    "lang_auto": {"en": "Auto", "zh": "自动"},
    "language_en": {"en": "English", "zh": "英文"},
    "language_zh": {"en": "Chinese", "zh": "中文"},
    "logout": {"en": "Log out", "zh": "退出登录"},
    "project_picker": {"en": "Project", "zh": "项目"},
    "no_project_yet": {
        "en": "No project open: write one in Create, or pick one above or in the Library.",
        "zh": "尚未打开项目：在“创作”页生成，或在上方列表、作品库中选择。",
    },
    "current_project": {
        "en": "**{title}** · {date} · {n} scenes, {seconds:.1f} s · {size}",
        "zh": "**{title}** · {date} · {n} 个镜头，{seconds:.1f} 秒 · {size}",
    },
    "language_auto_note": {
        "en": "Language: detected from your idea (narration and subtitles follow it).",
        "zh": "语言：根据你的创意自动识别（旁白和字幕随之）。",
    },
    "language_detected": {"en": "Language detected: **{language}**.", "zh": "识别出的语言：**{language}**。"},
    "genre": {"en": "Kind of film", "zh": "影片类型"},
    "genre_auto": {"en": "Auto (from the idea)", "zh": "自动（根据创意）"},
    "genre_story": {"en": "Story", "zh": "故事"},
    "genre_advert": {"en": "Advert", "zh": "广告"},
    "genre_explainer": {"en": "Explainer", "zh": "讲解"},
    "genre_process": {"en": "How it's made (steps)", "zh": "制作流程"},
    "genre_travel": {"en": "Travel", "zh": "旅行"},
    "genre_mood": {"en": "Mood piece", "zh": "氛围短片"},
    "target_length": {"en": "Film length (seconds)", "zh": "影片时长（秒）"},
    "target_length_info": {"en": "0: as long as the narration needs", "zh": "0：按旁白所需时长"},
    "story_language": {"en": "Film language", "zh": "影片语言"},
    "aspect": {"en": "Aspect ratio", "zh": "画面比例"},
    "aspect_16_9": {"en": "16:9 wide", "zh": "16:9 横屏"},
    "aspect_9_16": {"en": "9:16 vertical", "zh": "9:16 竖屏"},
    "aspect_1_1": {"en": "1:1 square", "zh": "1:1 方形"},
    "video_engine": {"en": "Video engine", "zh": "视频引擎"},
    "engines_to_download": {"en": "More engines (download first)", "zh": "更多引擎（需先下载）"},
    "quality": {"en": "Quality", "zh": "质量"},
    "quality_draft": {"en": "Draft (fast preview)", "zh": "草稿（快速预览）"},
    "quality_final": {"en": "Final", "zh": "成片"},
    "quality_both": {"en": "Draft, then final", "zh": "先草稿，后成片"},
    "style": {"en": "Visual style", "zh": "画面风格"},
    "style_info": {
        "en": "Pick one or type your own (English); empty: the writer's",
        "zh": "选择或自行输入（英文）；留空则由分镜生成器决定",
    },
    "storyboard_table": {"en": "Scenes (click a row to pick its scene)", "zh": "镜头（点击一行以选中该镜头）"},
    "board_hint": {
        "en": "Edit any cell, then **Save storyboard**. Camera: static, push_in, pull_out, pan_left, pan_right, "
        "tracking, aerial. Transition: cut, fade, dissolve, wipe, slide.",
        "zh": "编辑任意单元格后点击**保存分镜**。镜头运动：static、push_in、pull_out、pan_left、pan_right、tracking、"
        "aerial。转场：cut、fade、dissolve、wipe、slide。",
    },
    "story_bible": {"en": "### Story bible", "zh": "### 故事设定"},
    "bible_style": {"en": "Style for every scene (English)", "zh": "所有镜头的风格（英文）"},
    "bible_characters": {"en": "Characters and their looks", "zh": "角色及外貌"},
    "save_bible": {"en": "Save story bible", "zh": "保存故事设定"},
    "scene_tools": {"en": "#### One scene", "zh": "#### 单个镜头"},
    "render_scene": {"en": "Render this scene", "zh": "渲染此镜头"},
    "reroll_scene": {"en": "Re-roll (new take)", "zh": "重新生成（换一版）"},
    "lock_scene": {"en": "Locked: never rendered again", "zh": "锁定：不再重新渲染"},
    "locked": {"en": "locked", "zh": "已锁定"},
    "not_rendered": {"en": "not rendered yet", "zh": "尚未渲染"},
    "changed_since_render": {"en": "changed", "zh": "已修改"},
    "scene_rerolled": {
        "en": "Scene {number} will get a new take when rendered.",
        "zh": "第 {number} 个镜头下次渲染时会换一版。",
    },
    "scene_locked_now": {"en": "Scene {number} is locked.", "zh": "第 {number} 个镜头已锁定。"},
    "scene_unlocked_now": {"en": "Scene {number} is unlocked.", "zh": "第 {number} 个镜头已解锁。"},
    "scene_prefix": {"en": "Scene {number}:", "zh": "第 {number} 个镜头："},
    "scene_rendered": {"en": "Scene {number} rendered.", "zh": "第 {number} 个镜头已渲染。"},
    "scene_done": {"en": "done", "zh": "已完成"},
    "scene_waiting": {"en": "waiting", "zh": "等待中"},
    "scene_rendering": {"en": "rendering…", "zh": "渲染中……"},
    "scene_eta": {"en": "rendering, about {eta} s left", "zh": "渲染中，约剩 {eta} 秒"},
    "render_pass": {"en": "Pass {n} of {total} ({quality}):", "zh": "第 {n}/{total} 遍（{quality}）："},
    "render_draft_done": {
        "en": "Draft done ({seconds:.1f} s): the final pass is rendering.",
        "zh": "草稿完成（{seconds:.1f} 秒）：正在渲染成片。",
    },
    "queue_idle": {"en": "No render is running for this project.", "zh": "该项目当前没有渲染任务。"},
    "queue_running": {"en": "Rendering now: {message} {eta}", "zh": "正在渲染：{message} {eta}"},
    "queue_waiting": {
        "en": "Waiting in the queue: {ahead} ahead. {eta}",
        "zh": "排队中：前面还有 {ahead} 个任务。{eta}",
    },
    "eta_seconds": {"en": "About {seconds} s left.", "zh": "约剩 {seconds} 秒。"},
    "colour_look": {"en": "Colour look", "zh": "色调"},
    "look_none": {"en": "None", "zh": "无"},
    "look_warm": {"en": "Warm", "zh": "暖色"},
    "look_cool": {"en": "Cool", "zh": "冷色"},
    "look_filmic": {"en": "Filmic", "zh": "电影感"},
    "look_bw": {"en": "Black and white", "zh": "黑白"},
    "look_lut": {"en": "My .cube LUT", "zh": "我的 .cube 调色文件"},
    "lut_file": {"en": "Your .cube LUT file", "zh": "你的 .cube 调色文件"},
    "musicsrc_library": {"en": "Music library", "zh": "音乐库"},
    "musicsrc_procedural": {"en": "Generated tune", "zh": "自动生成的旋律"},
    "musicsrc_file": {"en": "My own file", "zh": "我自己的文件"},
    "musicsrc_none": {"en": "No music", "zh": "无音乐"},
    "mood_calm": {"en": "Calm", "zh": "平静"},
    "mood_energetic": {"en": "Energetic", "zh": "活力"},
    "mood_happy": {"en": "Happy", "zh": "欢快"},
    "mood_nostalgic": {"en": "Nostalgic", "zh": "怀旧"},
    "mood_tender": {"en": "Tender", "zh": "温柔"},
    "transition_storyboard": {"en": "As in the storyboard", "zh": "按分镜设置"},
    "transition_cut": {"en": "Cut", "zh": "硬切"},
    "transition_fade": {"en": "Fade through black", "zh": "黑场过渡"},
    "transition_dissolve": {"en": "Dissolve", "zh": "叠化"},
    "transition_wipe": {"en": "Wipe", "zh": "划像"},
    "transition_slide": {"en": "Slide", "zh": "滑动"},
    "search": {"en": "Search", "zh": "搜索"},
    "search_placeholder": {"en": "A word of the title or the idea, then Enter", "zh": "标题或创意中的词，按回车"},
    "library_empty": {"en": "No projects yet: write one in Create.", "zh": "还没有项目：去“创作”页生成一个。"},
    "no_film_short": {"en": "no film yet", "zh": "尚无影片"},
    "selected_project": {
        "en": "#### The current project (click a card to pick another)",
        "zh": "#### 当前项目（点击卡片选择其他项目）",
    },
    "open_in_storyboard": {"en": "Open in Storyboard", "zh": "在分镜页打开"},
    "duplicate": {"en": "Duplicate", "zh": "复制"},
    "delete": {"en": "Delete…", "zh": "删除……"},
    "delete_yes": {"en": "Yes, delete it", "zh": "确定删除"},
    "delete_no": {"en": "Keep it", "zh": "保留"},
    "delete_confirm_question": {
        "en": "Delete **{title}** with its storyboard, clips and films? This cannot be undone.",
        "zh": "删除 **{title}** 及其分镜、片段和影片？此操作无法撤销。",
    },
    "new_title": {"en": "New title", "zh": "新标题"},
    "rename": {"en": "Rename", "zh": "重命名"},
    "project_renamed": {"en": "Renamed to {title}.", "zh": "已重命名为 {title}。"},
    "project_duplicated": {"en": "Copied as {title}.", "zh": "已复制为 {title}。"},
    "project_deleted": {"en": "Deleted {title}.", "zh": "已删除 {title}。"},
    "all_projects": {"en": "All projects (click a row to pick it)", "zh": "全部项目（点击一行选择）"},
    "status_pending": {"en": "not rendered", "zh": "未渲染"},
    "status_running": {"en": "rendering", "zh": "渲染中"},
    "status_completed": {"en": "film ready", "zh": "影片已完成"},
    "status_failed": {"en": "failed", "zh": "失败"},
    "job_queued": {"en": "waiting", "zh": "等待中"},
    "job_running": {"en": "running", "zh": "运行中"},
    "admin_users": {"en": "Users", "zh": "用户"},
    "admin_queue": {"en": "Render queue", "zh": "渲染队列"},
    "admin_system": {"en": "Machine and models", "zh": "机器与模型"},
    "queue_table": {
        "en": "Jobs running and waiting (click a row to pick it)",
        "zh": "运行中和等待中的任务（点击一行选择）",
    },
    "job_number": {"en": "Job", "zh": "任务"},
    "queue_up": {"en": "Move up", "zh": "上移"},
    "queue_down": {"en": "Move down", "zh": "下移"},
    "role_user": {"en": "user", "zh": "普通用户"},
    "role_admin": {"en": "admin", "zh": "管理员"},
    "models_on_disk": {"en": "Video models", "zh": "视频模型"},
    "system_summary": {
        "en": "**Device:** {device} ({name}), torch {torch} · **VRAM:** {total} GiB total, {free} GiB free\n\n"
        "**Storyboard writer:** {writer} (model loaded: {llm}) · **Video engine:** {engine} · **In memory now:** {loaded}",
        "zh": "**设备：**{device}（{name}），torch {torch} · **显存：**共 {total} GiB，可用 {free} GiB\n\n"
        "**分镜生成器：**{writer}（模型已加载：{llm}） · **视频引擎：**{engine} · **当前已加载：**{loaded}",
    },
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "nothing": {"en": "nothing", "zh": "无"},
}

COLUMNS = {
    "en": ["#", "Visual description (English)", "Narration / subtitle", "Seconds", "Camera", "Transition"],
    "zh": ["#", "画面描述（英文）", "旁白 / 字幕", "秒数", "镜头运动", "转场"],
}


def header_language(accept_language: str | None, default: str) -> str:
    """'zh' or 'en' from the first language an Accept-Language header names, else the default."""
    first = (accept_language or "").split(",")[0].strip().lower()
    if first.startswith("zh"):
        return "zh"
    if first.startswith("en"):
        return "en"
    return default


def t(key: str, lang: str = "en", **params: object) -> str:
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    try:
        return text.format(**params)
    except (KeyError, ValueError, IndexError):
        return text


def error_text(err: UserError, lang: str = "en") -> str:
    return t(err.key, lang, **err.params)
