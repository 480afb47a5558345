"""Hero images for the demo, drawn with Pillow: deterministic, nothing downloaded."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 675)


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the fixed bitmap font.
        return ImageFont.load_default()


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw_hero(label, palette, seed, size=SIZE):
    """A JPEG (bytes): a gradient, hills and suns from ``seed``, and ``label`` in a band.

    The same arguments always give the same picture.
    """
    width, height = size
    top, bottom = palette
    gradient = Image.new("RGB", (1, height))
    for y in range(height):
        gradient.putpixel((0, y), _mix(top, bottom, y / (height - 1)))
    image = gradient.resize(size)
    draw = ImageDraw.Draw(image, "RGBA")
    rnd = random.Random(seed)  # noqa: S311 - decoration, not security

    for _ in range(rnd.randint(2, 4)):
        radius = rnd.randint(40, 160)
        x, y = rnd.randint(0, width), rnd.randint(0, height // 2)
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            fill=(*_mix(bottom, (255, 255, 255), 0.5), rnd.randint(60, 140)),
        )
    for layer in range(3):
        base = height - 140 - layer * 70
        points = [(0, height)]
        x = 0
        while x < width:
            points.append((x, base - rnd.randint(0, 160)))
            x += rnd.randint(90, 220)
        points += [(width, base - rnd.randint(0, 120)), (width, height)]
        shade = _mix(top, (0, 0, 0), 0.25 + 0.2 * layer)
        draw.polygon(points, fill=(*shade, 150 + 30 * layer))

    draw.rectangle((0, height - 120, width, height), fill=(0, 0, 0, 130))
    draw.text((48, height - 104), label, fill=(255, 255, 255), font=_font(46))
    draw.text((48, height - 44), "NEWSDESK DEMO ILLUSTRATION", fill=(230, 230, 230), font=_font(22))

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()
