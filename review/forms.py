"""Forms of the supervisor's review page: one small form per action, each with its own prefix.

The forms only shape the input; the rules (a return needs a comment, a correction needs a
note) live in reports/services/review.py, whose ValidationErrors the view puts on the form.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import layout


def _text(label, *, rows: int = 3, required_in_browser: bool = False, help_text=""):
    attrs = {"rows": rows}
    if required_in_browser:
        attrs["required"] = True
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs=attrs),
    )


class ReturnForm(forms.Form):
    """Send the report back to the clerk with what to change."""

    prefix = "return"
    comment = _text(
        _("退回意见"), required_in_browser=True, help_text=_("必填，填报员将看到此意见。")
    )


class ApproveForm(forms.Form):
    """Approve the report; the comment is optional."""

    prefix = "approve"
    comment = _text(_("审核意见（可选）"), rows=2)


class PublishForm(forms.Form):
    """Publish an approved report on a date; a correction says what changed."""

    prefix = "publish"
    published_on = forms.DateField(
        label=_("发布日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写发布日期。"), "invalid": _("请填写有效的日期。")},
    )
    correction_note = _text(_("更正说明"), help_text=_("发布更正版本时必填：说明更正了哪些内容。"))

    def __init__(self, *args, correction: bool = False, **kwargs):
        kwargs.setdefault("initial", {"published_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.correction = correction
        if correction:
            self.fields["correction_note"].widget.attrs["required"] = True
        else:
            del self.fields["correction_note"]


class ReopenForm(forms.Form):
    """Reopen a published report as a correction; the public keeps the published version."""

    prefix = "reopen"
    reason = _text(_("重新打开的原因"), required_in_browser=True, help_text=_("必填。"))


class CommentForm(forms.Form):
    """A comment on the whole report or on one of its cells."""

    prefix = "comment"
    cell = forms.ChoiceField(label=_("针对"), required=False)
    body = _text(_("意见"), required_in_browser=True)

    def __init__(self, *args, cell_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].choices = [("", _("整份报告"))] + list(cell_choices)

    def clean_cell(self):
        name = self.cleaned_data["cell"]
        return layout.cell_from_name(name) if name else None


class DecisionForm(forms.Form):
    """A reviewer's conclusion on one finding: confirmed or dismissed, and why."""

    prefix = "decision"
    finding = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("结论"),
        choices=[("confirmed", _("确认有误")), ("dismissed", _("不成立"))],
        widget=forms.RadioSelect,
    )
    reason = _text(_("理由"), rows=2, required_in_browser=True)
