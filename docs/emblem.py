"""Draws the project's neutral emblem: the site image shared with pages that
have no photo of their own, the publisher's logo of the JSON-LD, and the
favicon (README, "The public website"). An office sets its own emblem with
PRESSROOM_SHARE_IMAGE and PRESSROOM_LOGO; these are only the defaults.

    .venv/bin/python docs/emblem.py

writes static/pressroom/{emblem.svg,favicon.ico,logo.png,share.png}.
The emblem is a sheet of paper (a press release) on a disc: no letters, no
flag, nothing any office would have to explain.
"""

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "static"
INK = "#0b4f8a"  # the site's --brand colour (static/css/site.css)
PAPER = "#ffffff"
BACKGROUND = "#eef2f6"
# On a square of 100 units: the disc, the sheet (with its folded corner) and
# the lines of text on it.
DISC = (50, 50, 48)
SHEET = [(30, 18), (62, 18), (72, 28), (72, 82), (30, 82)]
FOLD = [(62, 18), (62, 28), (72, 28)]
LINES = [(37, 38, 65), (37, 48, 65), (37, 58, 65), (37, 68, 55)]
LINE_WIDTH = 4


def svg():
    lines = "".join(
        f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{INK}" stroke-width="{LINE_WIDTH}" '
        'stroke-linecap="round"/>'
        for x1, y, x2 in LINES
    )
    points = " ".join(f"{x},{y}" for x, y in SHEET)
    fold = " ".join(f"{x},{y}" for x, y in FOLD)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<circle cx="{DISC[0]}" cy="{DISC[1]}" r="{DISC[2]}" fill="{INK}"/>'
        f'<polygon points="{points}" fill="{PAPER}"/>'
        f'<polygon points="{fold}" fill="#c9d3df"/>'
        f"{lines}</svg>\n"
    )


def emblem(size):
    """The emblem, `size` pixels square, on a transparent background: drawn
    four times larger and scaled down, for smooth edges."""
    scale = size * 4 / 100
    image = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    x, y, r = (value * scale for value in DISC)
    draw.ellipse((x - r, y - r, x + r, y + r), fill=INK)
    draw.polygon([(px * scale, py * scale) for px, py in SHEET], fill=PAPER)
    draw.polygon([(px * scale, py * scale) for px, py in FOLD], fill="#c9d3df")
    width = round(LINE_WIDTH * scale)
    for x1, y, x2 in LINES:
        draw.line((x1 * scale, y * scale, x2 * scale, y * scale), fill=INK, width=width)
        for end in (x1, x2):  # round caps, as the SVG's
            cx, cy, half = end * scale, y * scale, width / 2
            draw.ellipse((cx - half, cy - half, cx + half, cy + half), fill=INK)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def share_image():
    """1200 × 630, the size Open Graph readers show largest: the emblem on a
    light background."""
    image = Image.new("RGB", (1200, 630), BACKGROUND)
    mark = emblem(400)
    image.paste(mark, ((1200 - 400) // 2, (630 - 400) // 2), mark)
    return image


def main():
    folder = STATIC / "pressroom"
    folder.mkdir(exist_ok=True)
    (folder / "emblem.svg").write_text(svg())
    emblem(512).save(folder / "logo.png", optimize=True)
    share_image().save(folder / "share.png", optimize=True)
    emblem(48).save(folder / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
