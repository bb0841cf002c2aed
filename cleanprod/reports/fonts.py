"""The CJK font embedded in generated PDFs: WenQuanYi Zen Hei (TrueType outlines).

ReportLab embeds only TrueType-outline fonts; the Noto CJK fonts on Debian are CFF-based and
cannot be used. The path defaults to the Debian package ``fonts-wqy-zenhei`` and can be
overridden with the environment variable ``CLEANPROD_CJK_FONT``.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

__all__ = ["DEFAULT_FONT", "ENV_VAR", "FontMissing", "cjk_font_path", "register_cjk_font"]

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
ENV_VAR = "CLEANPROD_CJK_FONT"

_registered: dict[Path, str] = {}
_lock = threading.Lock()


class FontMissing(RuntimeError):
    """The CJK font file does not exist or cannot be read as TrueType."""


def cjk_font_path() -> Path:
    """The font file to embed: ``$CLEANPROD_CJK_FONT`` if set, else the Debian default."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_FONT)


def register_cjk_font() -> str:
    """Register the CJK font with ReportLab (once per path) and return its font name.

    Raises :class:`FontMissing` saying how to install it when the file is missing or unusable.
    """
    path = cjk_font_path()
    with _lock:
        if path in _registered:
            return _registered[path]
        if not path.is_file():
            raise FontMissing(
                f"找不到中文字体文件 {path}：请安装 Debian 软件包 fonts-wqy-zenhei"
                f"（apt-get install fonts-wqy-zenhei），或用环境变量 {ENV_VAR} 指定"
                "一个 TrueType 轮廓的中文字体（.ttf/.ttc）"
            )
        # A name per path, so a test or an administrator can switch fonts within one process.
        name = "CJK-" + hashlib.sha1(str(path).encode()).hexdigest()[:10]
        try:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
        except Exception as exc:  # ReportLab raises TTFError or struct errors for bad files
            raise FontMissing(
                f"无法使用字体文件 {path}（{exc}）：需要 TrueType 轮廓字体，"
                "例如 Debian 软件包 fonts-wqy-zenhei；Noto CJK（CFF 轮廓）无法嵌入"
            ) from exc
        _registered[path] = name
        return name
