"""Photos for the demo data, drawn with Pillow.

Each theme has a palette and a few simple shapes that evoke its subject (finger-jointed boxes
for the laser, printed layers, a toolpath on a spoilboard grid, a circuit board, gears…), with
a caption band. Drawing is seeded by the theme and caption, so every run gives the same images.
The files are small JPEGs so the demo loads fast.
"""

import hashlib
import io
import math
import random
from collections.abc import Callable
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

PHOTO_SIZE = (1200, 800)
JPEG_QUALITY = 80

Colour = tuple[int, int, int]
Painter = Callable[[ImageDraw.ImageDraw, random.Random, tuple[int, int]], None]


@cache
def _font(size: int, *, bold: bool = True) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """DejaVu when the system has it (every accent of French), else Pillow's bundled font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


def demo_random(*parts: str) -> random.Random:
    """A random generator seeded by `parts`: the demo draws (and dates) the same on every run."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    # Not for security: the demo must draw the same picture on every run.
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311


def _shade(colour: Colour, factor: float) -> Colour:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


def _vertical_gradient(draw, size: tuple[int, int], top: Colour, bottom: Colour) -> None:
    width, height = size
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)


def _gear(draw, centre, radius: float, teeth: int, fill: Colour, hole: Colour, angle=0.0):
    """A gear-like polygon: trapezoid teeth around a disc, with a hole in the middle."""
    cx, cy = centre
    inner, outer = radius * 0.82, radius
    points = []
    step = 2 * math.pi / teeth
    for i in range(teeth):
        a = angle + i * step
        for offset, r in ((0.0, inner), (0.18, outer), (0.5, outer), (0.68, inner)):
            points.append(
                (cx + r * math.cos(a + offset * step), cy + r * math.sin(a + offset * step))
            )
    draw.polygon(points, fill=fill)
    hole_r = radius * 0.25
    draw.ellipse([cx - hole_r, cy - hole_r, cx + hole_r, cy + hole_r], fill=hole)


def _finger_jointed_rect(x0, y0, x1, y1, tooth: float, depth: float) -> list[tuple[float, float]]:
    """Outline of a panel with finger joints on its top and bottom edges."""
    points = [(x0, y0)]
    count = max(3, int((x1 - x0) / tooth) | 1)  # odd, so both ends are the same
    width = (x1 - x0) / count
    for i in range(count):
        y = y0 if i % 2 == 0 else y0 + depth
        points += [(x0 + i * width, y), (x0 + (i + 1) * width, y)]
    points.append((x1, y1))
    for i in reversed(range(count)):
        y = y1 if i % 2 == 0 else y1 - depth
        points += [(x0 + (i + 1) * width, y), (x0 + i * width, y)]
    return points


def _paint_laser(draw, rng, size):
    width, height = size
    wood = (226, 190, 140)
    draw.rectangle([0, 0, width, height], fill=wood)
    for _ in range(60):  # grain
        y = rng.uniform(0, height)
        amplitude, phase = rng.uniform(2, 9), rng.uniform(0, 6)
        points = [(x, y + amplitude * math.sin(x / 90 + phase)) for x in range(0, width + 40, 40)]
        draw.line(points, fill=_shade(wood, rng.uniform(0.86, 0.95)), width=rng.randint(1, 3))
    burnt = (92, 58, 30)
    for _ in range(3):
        w, h = rng.randint(260, 420), rng.randint(150, 240)
        x, y = rng.randint(40, width - w - 40), rng.randint(40, height - h - 150)
        draw.polygon(_finger_jointed_rect(x, y, x + w, y + h, 36, 14), outline=burnt, width=4)
        cx, cy = x + w / 2, y + h / 2
        for r in range(18, min(w, h) // 2 - 20, 16):  # an engraved motif
            draw.ellipse([cx - r, cy - r * 0.6, cx + r, cy + r * 0.6], outline=_shade(burnt, 1.3))
    y = rng.randint(80, height - 200)
    for x in range(0, width, 28):  # the laser's red cut line
        draw.line([(x, y), (x + 16, y)], fill=(220, 30, 30), width=3)


def _paint_print3d(draw, rng, size):
    width, height = size
    draw.rectangle([0, 0, width, height], fill=(46, 52, 64))
    bed_top = height - 190
    draw.rectangle([0, bed_top, width, height], fill=(176, 132, 60))
    for x in range(0, width, 6):  # PEI texture
        draw.point(
            [(x + rng.randint(0, 5), bed_top + rng.randint(0, 189)) for _ in range(6)],
            fill=(150, 110, 50),
        )
    filament = rng.choice([(150, 80, 200), (60, 170, 110), (230, 120, 40), (70, 140, 220)])
    layers, layer_h = rng.randint(26, 40), 9
    base_w = rng.randint(240, 360)
    cx = width // 2 + rng.randint(-160, 160)
    for i in range(layers):  # a printed part, layer by layer
        t = i / layers
        w = base_w * (0.75 + 0.35 * math.sin(t * math.pi * rng.uniform(0.8, 1.6)))
        y = bed_top - (i + 1) * layer_h
        tone = _shade(filament, 0.82 if i % 2 else 1.0)
        draw.rounded_rectangle([cx - w / 2, y, cx + w / 2, y + layer_h - 1], radius=4, fill=tone)
    top = bed_top - layers * layer_h
    draw.rectangle([cx - 70, top - 170, cx + 70, top - 90], fill=(30, 30, 34))  # extruder
    draw.polygon([(cx - 22, top - 90), (cx + 22, top - 90), (cx, top - 40)], fill=(200, 170, 60))
    draw.line([(cx, top - 170), (cx + 40, 0)], fill=filament, width=6)


def _paint_cnc(draw, rng, size):
    width, height = size
    wood = rng.choice([(196, 152, 98), (180, 136, 86), (205, 205, 210)])
    draw.rectangle([0, 0, width, height], fill=(90, 90, 96))
    draw.rectangle([60, 50, width - 60, height - 150], fill=wood)
    for x in range(60, width - 60, 50):  # spoilboard grid
        draw.line([(x, 50), (x, height - 150)], fill=_shade(wood, 0.85), width=1)
    for y in range(50, height - 150, 50):
        draw.line([(60, y), (width - 60, y)], fill=_shade(wood, 0.85), width=1)
    x0, y0 = rng.randint(150, 300), rng.randint(110, 180)
    x1, y1 = width - rng.randint(150, 300), height - rng.randint(220, 280)
    path = _shade(wood, 0.55)
    for inset in range(0, min(x1 - x0, y1 - y0) // 2 - 20, 22):  # pocket toolpath
        draw.rounded_rectangle(
            [x0 + inset, y0 + inset, x1 - inset, y1 - inset],
            radius=max(4, 40 - inset // 4),
            outline=path,
            width=3,
        )
    cx, cy = rng.randint(x0, x1), rng.randint(y0, y1)
    draw.ellipse([cx - 46, cy - 46, cx + 46, cy + 46], fill=(60, 60, 66))  # spindle
    draw.ellipse([cx - 14, cy - 14, cx + 14, cy + 14], fill=(200, 200, 206))


def _paint_electronics(draw, rng, size):
    width, height = size
    board = (22, 110, 62)
    draw.rectangle([0, 0, width, height], fill=board)
    copper = (212, 170, 80)
    for _ in range(40):  # traces
        x, y = rng.randrange(0, width, 20), rng.randrange(0, height - 130, 20)
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.5:
                nx, ny = x + rng.choice([-1, 1]) * rng.randrange(40, 240, 20), y
            else:
                nx, ny = x, y + rng.choice([-1, 1]) * rng.randrange(40, 200, 20)
            draw.line([(x, y), (nx, ny)], fill=_shade(copper, 0.8), width=5)
            x, y = nx, ny
        draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill=copper)
        draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=board)
    for _ in range(3):  # chips with pins
        w, h = rng.randint(120, 220), rng.randint(80, 140)
        x, y = rng.randint(60, width - w - 60), rng.randint(60, height - h - 190)
        for px in range(x + 12, x + w - 8, 18):
            draw.rectangle([px, y - 12, px + 8, y + h + 12], fill=(190, 190, 196))
        draw.rectangle([x, y, x + w, y + h], fill=(24, 24, 28))
        draw.ellipse([x + 10, y + 10, x + 22, y + 22], fill=(60, 60, 64))
    draw.rectangle([width - 330, 70, width - 90, 230], fill=(170, 172, 180))  # a module's can
    draw.rectangle([width - 318, 82, width - 102, 218], outline=(120, 122, 130), width=3)


def _paint_robotics(draw, rng, size):
    width, height = size
    draw.rectangle([0, 0, width, height], fill=(226, 232, 238))
    phase = rng.uniform(0, 3)
    track = [
        (x, height * 0.55 + 110 * math.sin(x / 170 + phase)) for x in range(-20, width + 40, 20)
    ]
    draw.line(track, fill=(20, 20, 24), width=34, joint="curve")  # the line to follow
    colours = [(230, 120, 40), (70, 140, 220), (240, 190, 40), (120, 180, 80)]
    for _ in range(4):
        r = rng.randint(60, 140)
        centre = (rng.randint(r, width - r), rng.randint(r, height - 150 - r // 2))
        _gear(
            draw,
            centre,
            r,
            rng.randint(10, 18),
            rng.choice(colours),
            (226, 232, 238),
            angle=rng.uniform(0, 1),
        )
    x, y = rng.randint(200, width - 400), rng.randint(180, 320)
    draw.rounded_rectangle([x, y, x + 200, y + 120], radius=16, fill=(214, 180, 130))  # chassis
    for wx in (x - 20, x + 180):
        draw.ellipse([wx, y + 70, wx + 60, y + 130], fill=(30, 30, 30))
        draw.ellipse([wx + 20, y + 90, wx + 40, y + 110], fill=(160, 160, 160))


def _paint_textile(draw, rng, size):
    width, height = size
    cloth = rng.choice([(236, 226, 206), (40, 56, 96), (214, 222, 230)])
    draw.rectangle([0, 0, width, height], fill=cloth)
    weave = _shade(cloth, 0.95)
    for i in range(0, width + height, 16):  # twill
        draw.line([(i, 0), (i - height, height)], fill=weave, width=2)
    cx, cy, r = width // 2 + rng.randint(-120, 120), height // 2 - 50, rng.randint(230, 290)
    thread = rng.choice([(200, 40, 60), (240, 180, 30), (30, 150, 140), (250, 250, 250)])
    for k in range(0, 360, 3):  # satin border, stitch by stitch
        a = math.radians(k)
        draw.line(
            [
                (cx + (r - 60) * math.cos(a), cy + (r - 60) * math.sin(a)),
                (cx + (r - 30) * math.cos(a + 0.03), cy + (r - 30) * math.sin(a + 0.03)),
            ],
            fill=thread,
            width=4,
        )
    for y in range(cy - r + 90, cy + r - 90, 14):  # fill stitches
        half = math.sqrt(max((r - 90) ** 2 - (y - cy) ** 2, 0))
        for x in range(int(cx - half), int(cx + half), 26):
            draw.line([(x, y), (x + 18, y + 3)], fill=_shade(thread, 0.8), width=3)
    hoop = (190, 150, 100)
    draw.ellipse([cx - r - 10, cy - r - 10, cx + r + 10, cy + r + 10], outline=hoop, width=16)
    draw.rectangle([cx - 20, cy - r - 40, cx + 20, cy - r - 4], fill=(150, 150, 156))


def _paint_vinyl(draw, rng, size):
    width, height = size
    draw.rectangle([0, 0, width, height], fill=(245, 245, 240))
    colours = [(46, 160, 90), (240, 130, 30), (250, 200, 40), (40, 110, 200), (220, 60, 90)]
    for _ in range(9):  # stickers with their white margin
        w = rng.randint(140, 260)
        x, y = rng.randint(20, width - w - 20), rng.randint(20, height - w - 130)
        colour = rng.choice(colours)
        draw.rounded_rectangle(
            [x + 8, y + 10, x + w + 8, y + w + 10], radius=w // 4, fill=(210, 210, 205)
        )
        draw.rounded_rectangle([x, y, x + w, y + w], radius=w // 4, fill=(255, 255, 255))
        inner = [x + 16, y + 16, x + w - 16, y + w - 16]
        shape = rng.choice(["circle", "star", "leaf"])
        if shape == "circle":
            draw.ellipse(inner, fill=colour)
        elif shape == "star":
            cx, cy, r = x + w / 2, y + w / 2, w / 2 - 16
            points = [
                (
                    cx + (r if i % 2 == 0 else r * 0.45) * math.cos(math.pi * i / 5 - math.pi / 2),
                    cy + (r if i % 2 == 0 else r * 0.45) * math.sin(math.pi * i / 5 - math.pi / 2),
                )
                for i in range(10)
            ]
            draw.polygon(points, fill=colour)
        else:
            draw.chord(inner, 200, 340, fill=colour)
            draw.chord(inner, 20, 160, fill=_shade(colour, 0.8))


def _paint_kite(draw, rng, size):
    width, height = size
    _vertical_gradient(draw, size, (110, 170, 230), (205, 230, 250))
    draw.rectangle([0, height - 190, width, height], fill=(226, 206, 160))  # the beach
    cx, cy = width // 2 + rng.randint(-200, 100), 250
    nose, tail, left, right = (
        (cx, cy - 180),
        (cx, cy + 130),
        (cx - 260, cy + 80),
        (cx + 260, cy + 80),
    )
    colours = [(230, 60, 60), (250, 200, 40), (60, 120, 220), (40, 170, 110)]
    rng.shuffle(colours)
    draw.polygon([nose, left, tail], fill=colours[0])
    draw.polygon([nose, right, tail], fill=colours[1])
    draw.line([nose, tail], fill=(40, 40, 40), width=5)
    draw.line([left, right], fill=(40, 40, 40), width=4)
    points = [(tail[0] + 30 * math.sin(i / 2.5), tail[1] + i * 12) for i in range(0, 40)]
    draw.line(points, fill=colours[2], width=4)
    for px, py in points[6::8]:
        draw.polygon(
            [(px - 18, py - 10), (px + 18, py + 10), (px + 18, py - 10), (px - 18, py + 10)],
            fill=colours[3],
        )
    draw.line([(cx, cy + 10), (width - 120, height - 150)], fill=(250, 250, 250), width=2)


def _paint_light(draw, rng, size):
    width, height = size
    draw.rectangle([0, 0, width, height], fill=(16, 16, 26))
    cx = width // 2 + rng.randint(-100, 100)
    glow = rng.choice([(255, 196, 120), (120, 190, 255), (255, 140, 200)])
    for r in range(420, 0, -20):  # halo
        t = 1 - r / 420
        draw.ellipse(
            [cx - r * 1.3, 330 - r, cx + r * 1.3, 330 + r], fill=_shade(glow, 0.08 + 0.3 * t)
        )
    panel = [cx - 230, 80, cx + 230, 560]
    draw.rectangle(panel, outline=_shade(glow, 1.1), width=3)
    # A cathedral-like facade, engraved: towers, rose window, portals.
    ink = (255, 244, 220)
    draw.rectangle([cx - 200, 200, cx - 120, 540], outline=ink, width=3)
    draw.rectangle([cx + 120, 200, cx + 200, 540], outline=ink, width=3)
    draw.polygon([(cx - 120, 300), (cx, 150), (cx + 120, 300)], outline=ink, width=3)
    draw.ellipse([cx - 60, 300, cx + 60, 420], outline=ink, width=3)
    for k in range(12):
        a = math.pi * 2 * k / 12
        draw.line([(cx, 360), (cx + 60 * math.cos(a), 360 + 60 * math.sin(a))], fill=ink, width=2)
    for px in (cx - 90, cx, cx + 90):
        draw.arc([px - 30, 450, px + 30, 560], 180, 360, fill=ink, width=3)
    draw.rectangle([cx - 260, 560, cx + 260, 620], fill=(60, 60, 70))  # printed base


def _paint_hive(draw, rng, size):
    width, height = size
    draw.rectangle([0, 0, width, height], fill=(250, 200, 70))
    r = 46
    dx, dy = r * math.sqrt(3), r * 1.5
    for row in range(int(height / dy) + 2):  # honeycomb
        for col in range(int(width / dx) + 2):
            cx = col * dx + (dx / 2 if row % 2 else 0)
            cy = row * dy
            points = [
                (
                    cx + r * math.cos(math.pi / 6 + k * math.pi / 3),
                    cy + r * math.sin(math.pi / 6 + k * math.pi / 3),
                )
                for k in range(6)
            ]
            fill = (236, 170, 40) if rng.random() < 0.7 else (200, 130, 30)
            draw.polygon(points, fill=fill, outline=(190, 120, 20))
    x = rng.randint(240, width - 560)
    draw.rectangle([x, 170, x + 320, 560], fill=(245, 240, 225), outline=(120, 90, 50), width=6)
    draw.rectangle([x - 20, 140, x + 340, 190], fill=(170, 120, 70))  # roof
    draw.rectangle([x + 110, 520, x + 210, 540], fill=(40, 30, 20))  # entrance
    draw.rectangle([x - 30, 560, x + 350, 590], fill=(110, 110, 116))  # the scale
    for bx, by in ((x + 420, 260), (x + 470, 330), (x + 390, 400)):  # bees
        draw.ellipse([bx - 22, by - 14, bx + 22, by + 14], fill=(30, 26, 20))
        draw.line([(bx - 6, by - 14), (bx - 6, by + 14)], fill=(250, 200, 70), width=6)
        draw.ellipse([bx - 16, by - 34, bx + 6, by - 12], fill=(235, 240, 250))


def _paint_arcade(draw, rng, size):
    width, height = size
    draw.rectangle([0, 0, width, height], fill=(34, 18, 60))
    pixel = 22
    invader = [
        "..X.....X..",
        "...X...X...",
        "..XXXXXXX..",
        ".XX.XXX.XX.",
        "XXXXXXXXXXX",
        "X.XXXXXXX.X",
        "X.X.....X.X",
        "...XX.XX...",
    ]
    colour = rng.choice([(90, 230, 120), (250, 90, 160), (90, 200, 250)])
    ox, oy = rng.randint(80, 300), 90
    for j, row in enumerate(invader):
        for i, cell in enumerate(row):
            if cell == "X":
                draw.rectangle(
                    [
                        ox + i * pixel,
                        oy + j * pixel,
                        ox + (i + 1) * pixel - 2,
                        oy + (j + 1) * pixel - 2,
                    ],
                    fill=colour,
                )
    panel_top = height - 330
    draw.polygon(
        [(0, panel_top + 60), (width, panel_top), (width, height), (0, height)], fill=(20, 20, 24)
    )
    for jx in (200, 700):  # joysticks and buttons
        draw.ellipse([jx - 40, panel_top + 70, jx + 40, panel_top + 150], fill=(40, 40, 44))
        draw.line([(jx, panel_top + 110), (jx, panel_top + 40)], fill=(180, 180, 180), width=10)
        draw.ellipse([jx - 28, panel_top + 10, jx + 28, panel_top + 66], fill=(220, 40, 40))
        for k, bc in enumerate([(240, 200, 40), (60, 140, 230), (60, 200, 90)]):
            bx = jx + 110 + k * 80
            draw.ellipse([bx - 28, panel_top + 80, bx + 28, panel_top + 136], fill=bc)


PAINTERS: dict[str, Painter] = {
    "laser": _paint_laser,
    "print3d": _paint_print3d,
    "cnc": _paint_cnc,
    "electronics": _paint_electronics,
    "robotics": _paint_robotics,
    "textile": _paint_textile,
    "vinyl": _paint_vinyl,
    "kite": _paint_kite,
    "light": _paint_light,
    "hive": _paint_hive,
    "arcade": _paint_arcade,
}
THEMES = frozenset(PAINTERS)


def _wrap(draw, text: str, font, max_width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current][:2]


def _caption(image: Image.Image, caption: str) -> None:
    width, height = image.size
    band = Image.new("RGBA", (width, 130), (0, 0, 0, 150))
    image.paste(band, (0, height - 130), band)
    draw = ImageDraw.Draw(image)
    font = _font(36)
    lines = _wrap(draw, caption, font, width - 80)
    y = height - 130 + (130 - 46 * len(lines)) // 2
    for line in lines:
        draw.text((40, y), line, font=font, fill=(255, 255, 255))
        y += 46
    draw.text(
        (width - 40, 22),
        "La Machinerie · démo",
        font=_font(22, bold=False),
        fill=(255, 255, 255),
        anchor="ra",
        stroke_width=2,
        stroke_fill=(0, 0, 0),
    )


def _as_upload(image: Image.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def demo_photo(*, theme: str, caption: str, seed: str = "") -> SimpleUploadedFile:
    """A 1200×800 JPEG evoking `theme`, with `caption` written on it; same inputs, same image.

    `seed` (a project title, say) varies the drawing between photos sharing a caption."""
    if theme not in PAINTERS:
        raise ValueError(f"Unknown demo photo theme {theme!r}; choose one of {sorted(THEMES)}")
    image = Image.new("RGB", PHOTO_SIZE)
    draw = ImageDraw.Draw(image)
    PAINTERS[theme](draw, demo_random(theme, seed, caption), PHOTO_SIZE)
    _caption(image, caption)
    return _as_upload(image, f"{slugify(caption)[:60] or 'photo'}.jpg")


def demo_avatar(*, name: str, size: int = 256) -> SimpleUploadedFile:
    """A square avatar: the member's initials on a colour picked from their name."""
    rng = demo_random("avatar", name)
    colour = rng.choice(
        [
            (46, 125, 90),
            (180, 80, 40),
            (60, 90, 170),
            (140, 60, 140),
            (200, 140, 20),
            (40, 130, 150),
        ]
    )
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.replace("-", " ").split()[:2]).upper() or "?"
    draw.text(
        (size / 2, size / 2), initials, font=_font(size // 3), fill=(255, 255, 255), anchor="mm"
    )
    return _as_upload(image, f"{slugify(name) or 'avatar'}.jpg")
