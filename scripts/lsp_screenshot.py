#!/usr/bin/env python3
"""Make docs/editors-neovim.png: ``newsmodel lsp`` in a real Neovim, driven in tmux.

    python3 scripts/lsp_screenshot.py [--newsmodel .venv/bin/newsmodel] [--out docs/editors-neovim.png]

Needs ``nvim``, ``tmux`` and Pillow (Debian: ``apt-get install neovim tmux python3-pil``).
Opens a broken article file in Neovim with the server attached, captures the terminal (with
its colours) three times: the diagnostics, the code action menu on the ``cdnAmpWebUrl`` line,
and the file after the quick fix; renders the frames one above the other into a PNG.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLS, ROWS = 112, 19
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

STORY = """\
---
category: news
title: "Harbor Town Library Lends Weather Stations"
excerpt: "Schools borrow the library's weather stations."
publishedDateTime: 2021-04-12T09:30:00Z
webURL: "https://www.example.com/news/weather"
ampWebUrl: "https://www.example.com/amp/news/weather"
cdnAmpWebUrl: "https://www.example.com.cdn.ampproject.org/c/s/www.example.com/amp/news/weather"
type: article
provider:
  name: Harbor Town News
  domain: Example.COM
---
The library lends ten weather stations to the town's schools.
"""

INIT = """\
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.swapfile = false
vim.o.wrap = false
vim.diagnostic.config({ virtual_text = { spacing = 2 }, signs = true, severity_sort = true })
local start = vim.lsp.start or function(config)  -- Neovim 0.7 has no vim.lsp.start
  local id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(0, id)
end
vim.api.nvim_create_autocmd("FileType", {
  pattern = "markdown",
  callback = function()
    start({ name = "newsmodel", cmd = { "%s", "lsp" }, root_dir = vim.fn.getcwd() })
  end,
})
"""

# xterm's 16 colours; 256-colour and true-colour codes are decoded below
BASE = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]  # fmt: skip
FG, BG = (212, 212, 212), (30, 30, 30)


def color256(n: int) -> tuple[int, int, int]:
    if n < 16:
        return BASE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[n // 6 % 6], steps[n % 6]
    level = 8 + (n - 232) * 10
    return level, level, level


Cell = tuple[str, tuple[int, int, int], tuple[int, int, int], bool]


def parse(ansi: str) -> list[list[Cell]]:
    """The screen of a ``tmux capture-pane -e`` text: a grid of (char, fg, bg, bold)."""
    rows: list[list[Cell]] = []
    fg, bg, bold, reverse = FG, BG, False, False
    for line in ansi.split("\n")[:ROWS]:
        row: list[Cell] = []
        for m in re.finditer(r"\x1b\[([0-9;:]*)m|([^\x1b])", line):
            if m.group(2) is not None:
                row.append((m.group(2), bg if reverse else fg, fg if reverse else bg, bold))
                continue
            codes = [int(c) if c else 0 for c in re.split("[;:]", m.group(1) or "0")]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c == 0:
                    fg, bg, bold, reverse = FG, BG, False, False
                elif c == 1:
                    bold = True
                elif c == 22:
                    bold = False
                elif c == 7:
                    reverse = True
                elif c == 27:
                    reverse = False
                elif 30 <= c <= 37 or 90 <= c <= 97:
                    fg = BASE[c - 30 if c < 90 else c - 82]
                elif 40 <= c <= 47 or 100 <= c <= 107:
                    bg = BASE[c - 40 if c < 100 else c - 92]
                elif c == 39:
                    fg = FG
                elif c == 49:
                    bg = BG
                elif c in (38, 48) and i + 1 < len(codes):
                    if codes[i + 1] == 5 and i + 2 < len(codes):
                        rgb = color256(codes[i + 2])
                        i += 2
                    elif codes[i + 1] == 2 and i + 4 < len(codes):
                        rgb = (codes[i + 2], codes[i + 3], codes[i + 4])
                        i += 4
                    else:
                        rgb = FG if c == 38 else BG
                    if c == 38:
                        fg = rgb
                    else:
                        bg = rgb
                i += 1
        rows.append(row)
    return rows


def render(frames: list[tuple[str, str]], out: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 13)
    cw, ch = 8, 16
    pad, title_h = 8, 22
    width = COLS * cw + 2 * pad
    height = sum(ROWS * ch + title_h + pad for _ in frames) + pad
    img = Image.new("RGB", (width, height), (245, 245, 245))
    draw = ImageDraw.Draw(img)
    y = pad
    for caption, ansi in frames:
        draw.text((pad, y + 3), caption, fill=(40, 40, 40), font=font)
        y += title_h
        draw.rectangle([pad, y, pad + COLS * cw, y + ROWS * ch], fill=BG)
        for r, row in enumerate(parse(ansi)):
            for c, (char, fg, bg, _bold) in enumerate(row[:COLS]):
                x0, y0 = pad + c * cw, y + r * ch
                if bg != BG:
                    draw.rectangle([x0, y0, x0 + cw - 1, y0 + ch - 1], fill=bg)
                if char.strip():
                    draw.text((x0, y0 + 1), char, fill=fg, font=font)
        y += ROWS * ch + pad
    img = img.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    img.save(out, optimize=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--newsmodel", default=str(REPO / ".venv" / "bin" / "newsmodel"))
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "editors-neovim.png")
    args = ap.parse_args()
    for tool in ("nvim", "tmux"):
        if shutil.which(tool) is None:
            print(f"lsp_screenshot.py: {tool} is not installed", file=sys.stderr)
            return 2
    session = "newsmodel-lsp-shot"
    with tempfile.TemporaryDirectory(prefix="newsmodel-shot-") as tmp:
        folder = Path(tmp)
        (folder / "story.md").write_text(STORY, encoding="utf-8")
        (folder / "init.lua").write_text(INIT % args.newsmodel, encoding="utf-8")

        def tmux(*words: str) -> str:
            done = subprocess.run(["tmux", *words], capture_output=True, text=True, check=False)
            return done.stdout

        def screen() -> str:
            return tmux("capture-pane", "-t", session, "-e", "-p")

        def wait_for(text: str, timeout: float = 15.0) -> str:
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                shot = screen()
                if text in re.sub(r"\x1b\[[0-9;:]*m", "", shot):
                    return shot
                time.sleep(0.2)
            raise SystemExit(f"lsp_screenshot.py: {text!r} never showed")

        tmux("kill-session", "-t", session)
        tmux(
            "new-session", "-d", "-s", session, "-x", str(COLS), "-y", str(ROWS),
            f"cd {folder} && TERM=xterm-256color nvim -u init.lua story.md",
        )  # fmt: skip
        try:
            first = wait_for("not lower-case")
            tmux("send-keys", "-t", session, "8G")
            tmux("send-keys", "-t", session, ":lua vim.lsp.buf.code_action()", "Enter")
            menu = wait_for("Fix NM301")
            tmux("send-keys", "-t", session, "1", "Enter")
            time.sleep(0.5)
            fixed = wait_for("www-example-com.cdn")
            time.sleep(1.0)  # the new diagnostics
            fixed = screen()
            tmux("send-keys", "-t", session, "Escape", ":qa!", "Enter")
        finally:
            tmux("kill-session", "-t", session)
    render(
        [
            ("1. Diagnostics as the file opens (code, message, hint; W/E signs)", first),
            ("2. Code actions on the cdnAmpWebUrl line (:lua vim.lsp.buf.code_action())", menu),
            ("3. After the quick fix: the one line rewritten, its diagnostic gone", fixed),
        ],
        args.out,
    )
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
