"""The audit history as sentences: who did what, in the viewer's language.

AuditEvent rows keep stable codes (``report.submitted``, ``report.apply_parsed``) and data;
this turns one into a sentence when a page shows it, so the stored history never depends on
the language of whoever caused it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from filing.workflow import Status


def actor_name(event) -> str:
    actor = event.actor
    if actor is None:
        return _("系统")
    return actor.get_full_name() or actor.get_username()


def _status(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code or "—"


def _count(value) -> int:
    return len(value) if isinstance(value, list | tuple) else int(value or 0)


def _apply_parsed(data: dict) -> str:
    return _(
        "%(who)s 填入了识别结果：填入 %(filled)d 个空白单元格，替换 %(replaced)d 个，"
        "%(conflicts)d 处与已填数值不同未改动"
    ) % {
        "who": "%(who)s",
        "filled": _count(data.get("filled")),
        "replaced": _count(data.get("replaced")),
        "conflicts": _count(data.get("conflicts")),
    }


STATUS_SENTENCES = {
    Status.SUBMITTED: lambda: _("%(who)s 提交了报告，等待审核"),
    Status.RETURNED: lambda: _("%(who)s 退回了报告"),
    Status.APPROVED: lambda: _("%(who)s 审核通过了报告"),
    Status.PUBLISHED: lambda: _("%(who)s 发布了报告"),
    Status.DRAFT: lambda: _("%(who)s 重新打开了报告以便更正"),
}


def _sentence(action: str, data: dict, event) -> str:
    """The sentence template (still holding %(who)s) for one event."""
    if action == "report.start":
        return _("%(who)s 开始填报本报告（%(edition)s年版表格）") % {
            "who": "%(who)s",
            "edition": data.get("edition", ""),
        }
    if action == "report.create":
        return _("%(who)s 由上传的文件创建了本报告")
    if action == "report.save":
        text = _("%(who)s 保存了草稿（第 %(version)s 版）") % {
            "who": "%(who)s",
            "version": data.get("version", "—"),
        }
        if data.get("edition_switched"):
            text += _("，并把表格改为%(edition)s年版") % {"edition": data.get("edition", "")}
        return text
    if action == "report.apply_parsed":
        return _apply_parsed(data)
    if action == "report.comment":
        return _("%(who)s 发表了审核意见")
    if action == "report.publication":
        return _("%(who)s 发布了第 %(number)s 版（发布日期 %(date)s）") % {
            "who": "%(who)s",
            "number": data.get("number", "—"),
            "date": data.get("published_on") or "—",
        }
    if action == "report.import":
        return _("%(who)s 通过管理后台导入了 %(rows)s 行数据") % {
            "who": "%(who)s",
            "rows": _count(data.get("rows")),
        }
    if action == "attachment.upload":
        return _("%(who)s 上传了文件“%(name)s”") % {"who": "%(who)s", "name": data.get("name", "")}
    if action == "parse.retry":
        return _("%(who)s 重新识别了上传的文件")
    if action == "parse.failed":
        return _("上传文件的识别失败了")
    if action == "parse.requeued":
        return _("系统把中断的识别重新排队")
    status = action.removeprefix("report.")
    if status in STATUS_SENTENCES:
        text = STATUS_SENTENCES[status]()
        if event.from_status and event.from_status != status:
            text += _("（原状态：%(from)s）") % {"from": _status(event.from_status)}
        return text
    return _("%(who)s：%(action)s") % {"who": "%(who)s", "action": action}


def event_sentence(event) -> str:
    """One audit event as a sentence in the active language (time shown beside it)."""
    data = event.data if isinstance(event.data, dict) else {}
    # Replaced, not %-formatted: a file name in the sentence may hold a percent sign.
    return _sentence(event.action, data, event).replace("%(who)s", actor_name(event))
