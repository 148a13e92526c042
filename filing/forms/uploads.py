"""Forms of the upload pages: the files to add, and the parsed cells to apply."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from filing.services.attachments import attachment_type_check

# What the browser's file picker offers; the real type is sniffed from the bytes on upload.
ACCEPT = ".pdf,.docx,.txt,.html,.htm,.md,.jpg,.jpeg,.png,.tif,.tiff"
MAX_FILES = 10
CELL_SEPARATOR = "|"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once and cleans each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [f for f in files if f]
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    """One or more files of the year's report (PDF, DOCX, TXT, HTML, or scans as images)."""

    files = MultipleFileField(
        label=_("报告文件"),
        help_text=_(
            "可一次选择多个文件。支持 PDF、DOCX、TXT、HTML，以及盖章后的扫描件和手机照片"
            "（JPEG、PNG、TIFF 或扫描成的 PDF）；系统按文件内容识别类型。"
        ),
        error_messages={"required": _("请选择要上传的文件。")},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("一次最多上传 %(max)d 个文件。"), code="too_many", params={"max": MAX_FILES}
            )
        limit = settings.PORTAL_MAX_UPLOAD_BYTES
        for upload in files:
            if upload.size > limit:
                raise ValidationError(
                    _(
                        "“%(name)s”大小为 %(size).1f MB，超过了上传上限 %(limit).1f MB。"
                        "请压缩图片或只保留年度报告正文后重新上传。"
                    ),
                    code="too_large",
                    params={
                        "name": upload.name,
                        "size": upload.size / 1048576,
                        "limit": limit / 1048576,
                    },
                )
        for upload in files:
            _check_type(upload)
        return files


def _check_type(upload) -> None:
    """The content must be what the extension says (PDF as .pdf, DOCX as .docx, ...)."""
    upload.seek(0)
    data = b"".join(upload.chunks())
    upload.seek(0)
    try:
        attachment_type_check(data=data, name=upload.name)
    except ValidationError as error:
        raise ValidationError(
            _("“%(name)s”：%(reason)s"),
            code=error.error_list[0].code,
            params={"name": upload.name, "reason": " ".join(error.messages)},
        ) from None


def cell_key(cell) -> str:
    """A (table, row, column) cell as one form value."""
    return CELL_SEPARATOR.join(cell)


class ApplyForm(forms.Form):
    """Apply all parsed values (blanks only) or the conflicting cells the clerk ticked."""

    ALL = "all"
    SELECTED = "selected"

    action = forms.ChoiceField(choices=[(ALL, _("全部应用")), (SELECTED, _("应用所选"))])
    cells = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, conflicts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cells"].choices = [(cell_key(c), cell_key(c)) for c in conflicts]

    def clean(self):
        data = super().clean()
        if data.get("action") == self.SELECTED and not data.get("cells"):
            raise ValidationError(_("请先勾选要替换的单元格。"), code="nothing_selected")
        return data

    def selected_cells(self) -> list[tuple[str, str, str]]:
        """The ticked conflicting cells: replaced by either action (全部应用 fills blanks too)."""
        return [tuple(key.split(CELL_SEPARATOR)) for key in self.cleaned_data["cells"]]
