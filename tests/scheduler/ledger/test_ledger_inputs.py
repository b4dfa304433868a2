"""What ``richeng done`` reads: attendance and absentees."""

from __future__ import annotations

import pytest

from scheduler.errors import UsageError
from scheduler.ledger.attachments import human_size, parse_size
from scheduler.ledger.inputs import Absence, parse_absences, parse_attendance


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("18/21", (18, 21), id="ascii"),
    pytest.param(" 18 ／ 21 ", (18, 21), id="full-width-slash"),
    pytest.param("21/21", (21, 21), id="everyone"),
    pytest.param("0/5", (0, 5), id="nobody"),
])
def test_attendance(text, expected):
    assert parse_attendance(text) == expected


@pytest.mark.parametrize("text", ["25/21", "0/0", "18", "18-21", "a/b", "-1/5"])
def test_attendance_refused(text):
    with pytest.raises(UsageError):
        parse_attendance(text)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("张三:出差,李四:病假", [Absence("张三", "出差"), Absence("李四", "病假")], id="ascii"),
    pytest.param("张三：出差，李四；王五、赵六:事假", [Absence("张三", "出差"), Absence("李四"), Absence("王五"),
                                               Absence("赵六", "事假")], id="chinese-separators-no-reason"),
    pytest.param("张三:外出培训:三天", [Absence("张三", "外出培训:三天")], id="colon-inside-reason"),
    pytest.param("", [], id="empty"),
])
def test_absences(text, expected):
    assert parse_absences(text) == expected


@pytest.mark.parametrize("text", [":出差", "张三:出差,张三:病假", "张" * 51])
def test_absences_refused(text):
    with pytest.raises(UsageError):
        parse_absences(text)


@pytest.mark.parametrize(("text", "size", "shown"), [
    pytest.param("20MB", 20 * 1024 ** 2, "20 MB", id="20MB"),
    pytest.param("500k", 500 * 1024, "500 KB", id="500k"),
    pytest.param("1.5 GiB", int(1.5 * 1024 ** 3), "1.5 GB", id="1.5GiB"),
    pytest.param("1048576", 1024 ** 2, "1 MB", id="bytes"),
])
def test_sizes(text, size, shown):
    assert parse_size(text) == size
    assert human_size(size) == shown
