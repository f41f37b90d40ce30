"""Drawing the four-colour site map (PNG with Pillow, SVG data for the page) and the enterprise map."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import cache

from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from anbiao.risks.choices import COLOUR_HEX, COLOUR_NAME, COLOUR_RGB, Level, ShapeKind

FONT_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
LEGEND = [(lv, f"{COLOUR_NAME[lv]} · {label}") for lv, label in Level.choices]


@cache
def _font_path() -> str | None:
    return next((p for p in FONT_PATHS if os.path.exists(p)), None)


def font(size: int):
    path = _font_path()
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    try:
        return ImageFont.load_default(size)
    except TypeError:  # older Pillow
        return ImageFont.load_default()


def has_cjk_font() -> bool:
    return _font_path() is not None


# --- SVG data for the page ----------------------------------------------------------------------------------
@dataclass
class SvgShape:
    pk: int
    risk_point_id: int
    name: str
    level: str
    colour: str
    kind: str
    points_attr: str  # "x,y x,y …" in the SVG's 0..W / 0..H user space
    cx: float
    cy: float
    label_y: float


def marker_radius(site_map) -> int:
    return max(10, round(site_map.width / 70))


def label_size(site_map) -> int:
    return max(14, round(site_map.width / 50))


def svg_shapes(site_map, shapes) -> list[SvgShape]:
    w, h = site_map.width, site_map.height
    out = []
    for s in shapes:
        pts = [(x * w, y * h) for x, y in s.points]
        cx = sum(p[0] for p in pts) / len(pts)
        cy = sum(p[1] for p in pts) / len(pts)
        level = s.risk_point.level or Level.LOW
        out.append(
            SvgShape(
                pk=s.pk,
                risk_point_id=s.risk_point_id,
                name=s.risk_point.name,
                level=level,
                colour=COLOUR_HEX[level] if s.risk_point.level else "#6c757d",
                kind=s.kind,
                points_attr=" ".join(f"{x:.1f},{y:.1f}" for x, y in pts),
                cx=round(cx, 1),
                cy=round(cy, 1),
                label_y=round(cy + (max(10, w / 70) * 2 + 6 if s.kind == ShapeKind.MARKER else 5), 1),
            )
        )
    return out


# --- PNG for printing -------------------------------------------------------------------------------------
def _load_plan(site_map) -> Image.Image:
    with default_storage.open(site_map.plan.storage_name, "rb") as fh:
        img = Image.open(io.BytesIO(fh.read()))
        img.load()
    return img.convert("RGBA")


def render_png(site_map, shapes, *, enterprise_name: str, on, max_width: int = 1800) -> bytes:
    """The plan with every risk point's area in its colour, a legend, the enterprise name and the date."""
    plan = _load_plan(site_map)
    scale = min(1.0, max_width / plan.width)
    if scale < 1:
        plan = plan.resize((int(plan.width * scale), int(plan.height * scale)))
    w, h = plan.size
    overlay = Image.new("RGBA", plan.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    label_font = font(max(14, w // 60))
    labels = []
    for s in shapes:
        level = s.risk_point.level or Level.LOW
        rgb = COLOUR_RGB[level]
        pts = [(x * w, y * h) for x, y in s.points]
        if s.kind == ShapeKind.POLYGON:
            draw.polygon(pts, fill=(*rgb, 110), outline=(*rgb, 255), width=max(2, w // 400))
        else:
            r = max(10, w // 70)
            x, y = pts[0]
            draw.ellipse(
                (x - r, y - r, x + r, y + r), fill=(*rgb, 220), outline=(255, 255, 255, 255), width=3
            )
        cx = sum(p[0] for p in pts) / len(pts)
        cy = sum(p[1] for p in pts) / len(pts)
        if s.kind == ShapeKind.MARKER:
            cy += max(10, w // 70) * 2  # the name under the marker, not over it
        labels.append((cx, cy, s.risk_point.name))
    composed = Image.alpha_composite(plan, overlay)
    text = ImageDraw.Draw(composed)
    for cx, cy, name in labels:
        box = text.textbbox((0, 0), name, font=label_font)
        tw, th = box[2] - box[0], box[3] - box[1]
        text.rectangle(
            (cx - tw / 2 - 4, cy - th / 2 - 4, cx + tw / 2 + 4, cy + th / 2 + 6), fill=(255, 255, 255, 220)
        )
        text.text((cx - tw / 2, cy - th / 2), name, fill=(0, 0, 0, 255), font=label_font)

    title_font, small = font(max(24, w // 36)), font(max(16, w // 70))
    header_h = int(title_font.size * 2.2)
    legend_h = int(small.size * 2.6)
    page = Image.new("RGB", (w, h + header_h + legend_h), "white")
    page.paste(composed.convert("RGB"), (0, header_h))
    d = ImageDraw.Draw(page)
    title = f"{enterprise_name} 四色安全风险空间分布图"
    d.text((16, int(title_font.size * 0.4)), title, fill="black", font=title_font)
    date_text = f"{site_map.title} · 更新日期：{on:%Y年%m月%d日}"
    box = d.textbbox((0, 0), date_text, font=small)
    d.text((w - (box[2] - box[0]) - 16, int(title_font.size * 0.8)), date_text, fill="black", font=small)
    x, y = 16, h + header_h + int(small.size * 0.7)
    for level, label in LEGEND:
        sw = small.size
        d.rectangle((x, y, x + sw * 2, y + sw), fill=COLOUR_RGB[level], outline="black")
        d.text((x + sw * 2 + 8, y - 2), label, fill="black", font=small)
        box = d.textbbox((0, 0), label, font=small)
        x += sw * 2 + 8 + (box[2] - box[0]) + 28
    out = io.BytesIO()
    page.save(out, "PNG", optimize=True)
    return out.getvalue()


# --- Enterprises by coordinates (no online tiles) -------------------------------------------------
@dataclass
class MapDot:
    pk: int
    name: str
    level: str
    colour: str
    x: float
    y: float
    label: str


def enterprise_dots(rows, width: int = 1000, height: int = 700, pad: int = 40) -> list[MapDot]:
    """Project (lon, lat) into the SVG box with an equirectangular fit of the rows' bounding box."""
    pts = [r for r in rows if r["longitude"] is not None and r["latitude"] is not None]
    if not pts:
        return []
    lons = [float(r["longitude"]) for r in pts]
    lats = [float(r["latitude"]) for r in pts]
    span_x = max(max(lons) - min(lons), 1e-4)
    span_y = max(max(lats) - min(lats), 1e-4)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    out = []
    for r, lon, lat in zip(pts, lons, lats, strict=True):
        level = r["level"]
        out.append(
            MapDot(
                pk=r["pk"],
                name=r["name"],
                level=level or "",
                colour=COLOUR_HEX.get(level, "#6c757d"),
                x=round(pad + (lon - min(lons)) * scale, 1),
                y=round(height - pad - (lat - min(lats)) * scale, 1),
                label=COLOUR_NAME.get(level, "未评定"),
            )
        )
    return out
