"""Character normalisation: the one-pass path agrees with the step-by-step one, and known inputs map
to known outputs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.normalize import _SPACE, _characters, _characters_one_pass, normalize, spaces

# spaces, controls, full-width forms, 繁体, quotes, punctuation and ordinary CJK
ALPHABET = st.sampled_from(list(" \t\x0b\x0c\r\x00\x07\x1f\u3000\u200b\ufeff\xa0\u2003\u202f"
                                "０１２３ＡＢａｂ：．，、；！？＂\"'“”「」【】（）()"
                                "週會議與開每月日号周五下午学习党支部") + ["１０", "十"])


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_one_pass_agrees_with_the_steps(text: str) -> None:
    assert _characters_one_pass(text) == _characters(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60).filter(lambda t: "<" not in t and "\n" not in t))
def test_one_pass_agrees_on_any_text(text: str) -> None:
    assert _characters_one_pass(text) == _characters(text)


def test_spaces_are_what_the_space_pattern_matches() -> None:
    matched = [cp for cp in range(0x110000) if _SPACE.fullmatch(chr(cp))]
    assert sorted(spaces()) == matched


@pytest.mark.parametrize(("text", "expected"), [
    ("每月１０日　召开 支部例会", "每月10日召开支部例会"),
    ("每週五下午\u200b學習", "每周五下午学习"),
    ('党支部每月10日"支部例会"', "党支部每月10日“支部例会”"),
    ("每周一上午９：００开周例会。。", "每周一上午9:00开周例会"),
    ("<p>每季度至少一次</p>", "每季度至少一次"),
    ("每月10日\n召开支部例会", "每月10日召开支部例会"),
    ("每月10日，\n召开支部例会", "每月10日，召开支部例会"),
], ids=["fullwidth-digits-spaces", "traditional-zero-width", "ascii-quotes", "fullwidth-colon-repeat",
        "markup", "line-break-no-punct", "line-break-after-punct"])
def test_known_inputs(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert re.search(r"\s", normalize(text)) is None
