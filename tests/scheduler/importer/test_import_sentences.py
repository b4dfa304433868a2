"""Cutting a plan into the sentences the grammar reads: numbering, 一是…二是…, noise, line numbers."""

from __future__ import annotations

import pytest

from scheduler.importer import Sentence, split_sentences
from scheduler.importer.sentences import strip_numbering


def S(line: int, text: str) -> Sentence:
    return Sentence(text, line)


@pytest.mark.parametrize(("text", "expected"), [
    ("1.加强政治建设。", "加强政治建设。"),
    ("12、每月10日召开支部例会", "每月10日召开支部例会"),
    ("１．每月10日召开支部例会", "每月10日召开支部例会"),
    ("（一）每季度召开党员大会", "每季度召开党员大会"),
    ("(3)每季度召开党员大会", "每季度召开党员大会"),
    ("三、加强支部建设", "加强支部建设"),
    ("一是加强学习型机关建设", "加强学习型机关建设"),
    ("其二，每月开展主题党日", "每月开展主题党日"),
    ("②每月开展主题党日", "每月开展主题党日"),
    ("第三条 每月召开支委会", "每月召开支委会"),
    ("第二部分：每月召开支委会", "每月召开支委会"),
    ("一、1.每月召开支委会", "每月召开支委会"),
    ("• 每周五下午学习", "每周五下午学习"),
    ("3.2020年下半年开展回头看", "2020年下半年开展回头看"),
    ("1.5倍工作量", "1.5倍工作量"),
    ("9:00召开晨会", "9:00召开晨会"),
    ("2026年每月召开支委会", "2026年每月召开支委会"),
    ("每月召开支委会", "每月召开支委会"),
    ("第三周星期五为统一活动日", "第三周星期五为统一活动日"),
    ("统一是原则", "统一是原则"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_item_numbering_is_stripped(text: str, expected: str) -> None:
    assert strip_numbering(text) == expected


@pytest.mark.parametrize(("lines", "expected"), [
    pytest.param(
        ["8.坚持“三会一课”制度。每季度至少召开一次党员大会，每月至少召开一次支委会和党小组会，每季度至少上一次党课。"],
        [S(1, "坚持“三会一课”制度。"),
         S(1, "每季度至少召开一次党员大会，每月至少召开一次支委会和党小组会，每季度至少上一次党课。")],
        id="item-then-sentences-clauses-kept"),
    pytest.param(
        ["4.实施学习机关创建工程。一是加强学习型机关建设。二是加强业务培训；三是每月开展主题党日！"],
        [S(1, "实施学习机关创建工程。"), S(1, "加强学习型机关建设。"), S(1, "加强业务培训；"),
         S(1, "每月开展主题党日！")],
        id="yi-shi-er-shi"),
    pytest.param(
        ["党组书记与党组成员每年谈心不少于1次；支部书记与党员每年谈心不少于1次。"],
        [S(1, "党组书记与党组成员每年谈心不少于1次；"), S(1, "支部书记与党员每年谈心不少于1次。")],
        id="semicolon"),
    pytest.param(
        ["认真落实“每月10日召开例会。每季度一次党课。”制度，每周五学习。"],
        [S(1, "认真落实“每月10日召开例会。每季度一次党课。”制度，每周五学习。")],
        id="full-stop-inside-quotes"),
    pytest.param(
        ["仅供学习 禁止外传", "现在订阅立享前3年的所有权益和资料", "会员群：   免费QQ群：", "【打击倒卖活动】",
         "市局2020年党建工作要点", "", "每月10日召开支部例会。"],
        [S(7, "每月10日召开支部例会。")],
        id="advertising-and-title-dropped"),
    pytest.param(
        ["本文系作者原创投稿，仅供学习参考，请勿照搬照抄！", "每月10日召开支部例会。"],
        [S(2, "每月10日召开支部例会。")],
        id="advert-sentence-dropped"),
    pytest.param(
        ["**机关党支部2018年工作要点", "每月10日召开支部例会。", "", "      ****机关党支部", "2018年1月5日", "- 2 -"],
        [S(2, "每月10日召开支部例会。")],
        id="markup-signature-date-page-number"),
    pytest.param(
        ["每季度至少召开一次工会会员大会。", "每年做好党报党刊订阅工作。"],
        [S(1, "每季度至少召开一次工会会员大会。"), S(2, "每年做好党报党刊订阅工作。")],
        id="real-sentences-with-advert-like-words-kept"),
    pytest.param(
        ["每月10日召开支部例会"],
        [S(1, "每月10日召开支部例会")],
        id="single-phrase-without-punctuation"),
    pytest.param(
        ["每周五下午学习", "每季度至少召开一次党员大会"],
        [S(1, "每周五下午学习"), S(2, "每季度至少召开一次党员大会")],
        id="phrase-per-line"),
    pytest.param(
        ["1.坚持“三会一课”制度。每季度至少召开一次党员大",
         "会，每月至少召开一次支委会和党小组会，每季度至少",
         "上一次党课。落实党支部每月10日“支部例会”制度。",
         "2.每周五下午为支部统一学习日。"],
        [S(1, "坚持“三会一课”制度。"),
         S(1, "每季度至少召开一次党员大会，每月至少召开一次支委会和党小组会，每季度至少上一次党课。"),
         S(3, "落实党支部每月10日“支部例会”制度。"), S(4, "每周五下午为支部统一学习日。")],
        id="wrapped-lines-joined"),
    pytest.param(
        ["一、加强组织建设", "每月10日召开支部例会。"],
        [S(1, "加强组织建设"), S(2, "每月10日召开支部例会。")],
        id="short-heading-not-joined"),
], ids=None)
def test_split_sentences(lines: list[str], expected: list[Sentence]) -> None:
    assert split_sentences(lines) == expected


def test_very_long_sentence_is_cut_at_commas() -> None:
    clause = "深入学习贯彻党的十九大精神和习近平总书记重要讲话精神"
    long = "，".join([clause] * 60) + "，每月10日召开支部例会。"
    out = split_sentences([long])
    assert len(out) > 1 and all(len(s.text) <= 1000 for s in out)
    assert "".join(s.text for s in out) == long
    assert out[-1].text.endswith("每月10日召开支部例会。")
