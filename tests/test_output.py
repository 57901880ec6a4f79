"""Writing outputs: every OS error has its own Chinese message and a hint that fits it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from budgetdoc.output import _REASONS, write_failure, write_outputs
from budgetdoc.problems import BudgetError

TARGET = Path("build/2020/报告.docx")


def _said(code: int, filename: str | None = None) -> tuple[str, str]:
    problem = write_failure(OSError(code, os.strerror(code), filename), TARGET).problems[0]
    return problem.message, problem.hint


@pytest.mark.parametrize("code", sorted(_REASONS), ids=lambda c: errno.errorcode[c])
def test_each_os_error_is_explained_in_chinese(code):
    message, hint = _said(code)
    assert message.startswith(f"无法写入 {TARGET}：") and message.endswith("。")
    assert "系统错误" not in message and os.strerror(code) not in message
    assert hint and "{" not in message + hint
    # Closing Word is advice for a file held open, not for a missing folder or a full disk.
    assert ("Word" in hint) == (code in (errno.EACCES, errno.EBUSY, errno.ETXTBSY))


def test_different_errors_get_different_advice():
    said = {code: _said(code) for code in _REASONS}
    same = {(a, b) for a in said for b in said if a < b and said[a][1] == said[b][1]}
    aliases = {frozenset(p) for p in [(errno.ENOTDIR, errno.EEXIST), (errno.EBUSY, errno.ETXTBSY),
                                      (errno.ENOSPC, errno.EDQUOT), (errno.EMFILE, errno.ENFILE)]}
    assert {frozenset(p) for p in same} <= aliases


def test_the_folder_the_system_names_is_the_one_shown():
    message, hint = _said(errno.ENOTDIR, "build")
    assert "路径中的 build 是一个文件，不是文件夹" in message and "--out" in hint
    problem = write_failure(OSError(errno.ENOSPC, "No space"), TARGET, option="--data").problems[0]
    assert "--data" in problem.hint


def test_an_error_without_its_own_text_still_says_what_the_system_said():
    message, hint = _said(errno.ECONNRESET)
    assert "ECONNRESET" in message and os.strerror(errno.ECONNRESET) in message
    assert "发给维护人员" in hint


def test_a_failed_write_writes_nothing(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("一个文件", "utf-8")
    with pytest.raises(BudgetError) as caught:
        write_outputs({tmp_path / "a.txt": b"a", blocker / "b.txt": b"b"})
    assert "是一个文件，不是文件夹" in caught.value.problems[0].message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
