"""What the API documentation page says: endpoints, parameters and every field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PARAMETERS = {
    "year": _("年度，如 2023"),
    "organ": _("机关标识（slug），如 zimao"),
    "region": _("地区标识：该机关及其下属全部机关"),
    "edition": _("表格版本：2019 或 2021"),
    "q": _("关键词，在机关名称和正文中检索；多个词用空格分隔，须全部出现"),
    "kind": _("机关类型：city、town、street、department 等"),
    "page": _("页码，从 1 开始"),
    "page_size": _("每页条数，默认 50，最多 500"),
}

FIELDS = {
    # organs
    "slug": _("机关标识"),
    "name": _("机关全称"),
    "short_name": _("简称"),
    "kind": _("机关类型"),
    "code": _("行政区划代码"),
    "parent": _("上级机关标识"),
    "page_url": _("门户上的公开页面"),
    "reports_url": _("该机关已发布报告的 API 列表"),
    # reports
    "organ": _("机关标识"),
    "organ_name": _("机关全称"),
    "year": _("报告年度"),
    "edition": _("表格版本（2019 或 2021）"),
    "published_on": _("本版本的发布日期"),
    "version": _("发布序号：1 为首次发布，2 起为更正版本"),
    "is_correction": _("是否为更正版本"),
    "key_figures": _(
        "关键数字：received 收到申请、granted_full 予以公开、review_total 行政复议总计、litigation_total 行政诉讼总计；未填为 null"
    ),
    "checks_passed": _("发布时是否没有错误级校验问题"),
    "error_count": _("发布时的错误数"),
    "warning_count": _("发布时的警告数"),
    "url": _("本条目的 API 地址"),
    "figures_url": _("长格式数值列表的 API 地址"),
    "correction_note": _("更正说明"),
    "overview": _("一、总体情况"),
    "problems": _("五、存在的主要问题及改进情况"),
    "other_matters": _("六、其他需要报告的事项"),
    "figures": _(
        "表格数据：section2 {行: {列: 值}}；section3 {行: [自然人…总计 7 个值]}；section4 [15 个值]"
    ),
    "findings": _("发布时的校验结果：code、severity、message、explanation"),
    # figures
    "table": _("表：section2、section3 或 section4"),
    "row": _("行的官方标识"),
    "row_label": _("行的官方名称"),
    "column": _("列的官方名称"),
    "value": _("数值；空白单元格为 null"),
}


def described(fields) -> list[tuple[str, str]]:
    """(field, description) pairs in the serializer's order."""
    return [(name, FIELDS[name]) for name in fields]
