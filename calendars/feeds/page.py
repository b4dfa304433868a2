"""The subscribe page (``/s/{token}``) and QR codes of feed URLs (terminal text, SVG, PNG)."""

from __future__ import annotations

import html
from pathlib import Path

from .tokens import FeedUrls


def _qr(data: str, border: int = 2) -> object:
    import qrcode

    qr = qrcode.QRCode(border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    return qr


def qr_svg(data: str) -> str:
    """An inline SVG QR code of ``data`` (no XML declaration, scales with CSS)."""
    import qrcode.image.svg

    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)  # type: ignore[attr-defined]
    svg: str = image.to_string(encoding="unicode")
    return svg.removeprefix("<?xml version='1.0' encoding='UTF-8'?>\n")


def qr_text(data: str) -> str:
    """A QR code of ``data`` drawn with half-block characters (dark modules dark on a light terminal)."""
    qr = _qr(data)
    rows = qr.get_matrix()  # type: ignore[attr-defined]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    glyph = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
    return "\n".join("".join(glyph[(top, bottom)] for top, bottom in zip(rows[i], rows[i + 1], strict=True))
                     for i in range(0, len(rows), 2))


def qr_png(data: str, path: Path) -> None:
    """Write a PNG QR code of ``data`` (needs Pillow or pypng)."""
    image = _qr(data, border=4).make_image()  # type: ignore[attr-defined]
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        image.save(fh)
    tmp.replace(path)


PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>订阅「{name}」</title>
<style>
body {{ font-family: -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
       margin: 0 auto; max-width: 40em; padding: 1em; line-height: 1.6; color: #222; }}
h1 {{ font-size: 1.4em; }}
.button {{ display: block; text-align: center; padding: .8em; margin: .6em 0; border-radius: .5em;
          background: #c8161d; color: #fff; text-decoration: none; font-size: 1.1em; }}
.button.plain {{ background: #eee; color: #222; }}
input {{ width: 100%; box-sizing: border-box; padding: .5em; font-size: .9em; }}
.qr {{ width: 12em; height: 12em; margin: 1em auto; }} .qr svg {{ width: 100%; height: 100%; }}
h2 {{ font-size: 1.1em; margin-top: 1.5em; }} li {{ margin: .3em 0; }}
.note {{ color: #666; font-size: .9em; }}
</style>
</head>
<body>
<h1>订阅「{name}」日程</h1>
<p>订阅后，支部的会议和活动会出现在你手机或电脑自带的日历里，有变化时自动更新，不用再做什么。</p>
<a class="button" href="{webcal}">一键订阅（iPhone、Mac、Outlook）</a>
<a class="button plain" href="{feed}">下载日历文件（.ics）</a>
<p>订阅地址（复制后粘贴到日历应用里）：</p>
<input type="text" readonly value="{feed}" onclick="this.select()">
<div class="qr" aria-label="本页二维码">{qr}</div>
<p class="note" style="text-align:center">在电脑上打开本页时，用手机扫码即可在手机上订阅。</p>

<h2>iPhone / iPad</h2>
<ol>
<li>点上面的「一键订阅」，再点「订阅」，然后点「添加」。</li>
<li>或者：设置 → 日历 → 账户 → 添加账户 → 其他 → 添加已订阅的日历，粘贴订阅地址。</li>
</ol>
<h2>安卓手机</h2>
<ol>
<li>华为、荣耀、小米、OPPO、vivo 等自带日历：打开「日历」→ 设置（或右上角菜单）→「订阅日历」/「添加账户」→「网址订阅」，粘贴订阅地址。各品牌菜单名称略有不同。</li>
<li>使用 Google 日历的手机：按下面「Google 日历」的步骤在电脑上添加一次，手机上的 Google 日历会自动同步（在应用设置里勾选这个日历）。</li>
</ol>
<h2>Outlook</h2>
<ol>
<li>Outlook 网页版或新版 Outlook：日历 → 添加日历 → 从 Web 订阅，粘贴订阅地址，起个名字，导入。</li>
<li>经典 Outlook（Windows）：日历 → 添加日历 → 从 Internet，粘贴订阅地址。</li>
</ol>
<h2>Google 日历</h2>
<ol>
<li>在电脑浏览器打开 Google 日历，左侧「其他日历」旁点 ＋ →「通过网址添加」，粘贴订阅地址，添加日历。</li>
<li>Google 日历大约每几个小时才更新一次订阅，改动可能稍后才出现。</li>
</ol>
<h2>WPS、Thunderbird 等</h2>
<p>找「新建日历 → 网络上的日历 / 订阅」之类的菜单，粘贴订阅地址即可。</p>

<p class="note">这个地址是这个日历专用的，请只在本组织内分享。如果地址泄露，请联系管理员更换（richeng feed rotate），旧地址会立即失效。</p>
</body>
</html>
"""


def subscribe_page(name: str, urls: FeedUrls) -> str:
    """The subscribe page for a calendar (HTML, Chinese)."""
    return PAGE.format(name=html.escape(name), webcal=html.escape(urls.webcal, quote=True),
                       feed=html.escape(urls.feed, quote=True), qr=qr_svg(urls.page))
