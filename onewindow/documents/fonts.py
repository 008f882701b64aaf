"""The CJK TrueType font embedded (as a subset) in every document.

Resolution order:
1. settings.DOCUMENTS_FONT_PATH (env DOCUMENTS_FONT_PATH), if set; it must exist.
2. WenQuanYi Micro Hei shipped by the pinned PyPI package `paperang-p2-fonts-cjk` (works on a bare machine).
3. Debian's fonts-wqy-microhei / fonts-wqy-zenhei (installed by .ci/run).

reportlab embeds TrueType outlines only (TTF, or TTC with glyf tables); CFF-based OpenType fonts such as
Noto Sans CJK .otf/.ttc are refused with a clear message.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_PREFIX = "OneWindowCJK"
SAMPLE = "云溪县市场监督管理局受理通知书〔〕第号（）"
DEBIAN_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)


class FontUnavailable(ImproperlyConfigured):
    pass


def _packaged_font() -> Path | None:
    spec = importlib.util.find_spec("paperang_p2_fonts_cjk")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "wqy-microhei.ttc"
    return path if path.is_file() else None


def candidates() -> list[Path]:
    configured = getattr(settings, "DOCUMENTS_FONT_PATH", "") or ""
    if configured:
        return [Path(configured)]
    found = [p for p in [_packaged_font(), *DEBIAN_FONTS] if p is not None]
    return found


def font_path() -> Path:
    """The font file to embed; a FontUnavailable error says how to get one."""
    configured = getattr(settings, "DOCUMENTS_FONT_PATH", "") or ""
    for path in candidates():
        if path.is_file():
            return path
    if configured:
        raise FontUnavailable(
            f"DOCUMENTS_FONT_PATH={configured} does not exist. Point it at a TrueType CJK font "
            "(.ttf, or .ttc with TrueType outlines), e.g. /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc.")
    raise FontUnavailable(
        "No CJK TrueType font found for legal documents. Install the project's dependencies "
        "(pip install -e . brings paperang-p2-fonts-cjk with WenQuanYi Micro Hei), or "
        "`apt-get install fonts-wqy-zenhei`, or set DOCUMENTS_FONT_PATH to a TrueType CJK font.")


@functools.cache
def _register(path: str, subfont_index: int) -> str:
    # One reportlab name per file, so a changed setting never reuses another file's registration.
    name = f"{FONT_PREFIX}-{hashlib.sha256(f'{path}:{subfont_index}'.encode()).hexdigest()[:8]}"
    try:
        font = TTFont(name, path, subfontIndex=subfont_index)
    except TTFError as exc:
        raise FontUnavailable(
            f"{path} cannot be embedded ({exc}). Use a TrueType font (glyf outlines): CFF-based OpenType "
            "fonts such as Noto Sans CJK .otf are not supported by reportlab.") from exc
    missing = [ch for ch in SAMPLE if ord(ch) not in font.face.charToGlyph]
    if missing:
        raise FontUnavailable(f"{path} has no Chinese glyphs (missing {''.join(missing)}); choose a CJK font.")
    pdfmetrics.registerFont(font)
    return name


def register_font() -> str:
    """Register the CJK font with reportlab once per process and return its name."""
    index = int(getattr(settings, "DOCUMENTS_FONT_SUBFONT_INDEX", 0) or 0)
    return _register(str(font_path()), index)
