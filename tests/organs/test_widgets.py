"""PlainSelect renders what Django's Select renders, in one pass."""

from html.parser import HTMLParser

from django import forms

from organs.widgets import PlainSelect


class _Options(HTMLParser):
    def __init__(self):
        super().__init__()
        self.select, self.options, self._open = None, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.select = attrs
        elif tag == "option":
            self._open = [attrs.get("value"), "selected" in attrs, ""]
            self.options.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[2] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._open = None


def _parsed(markup: str) -> _Options:
    parser = _Options()
    parser.feed(markup)
    return parser


CHOICES = [("", "全部"), (3, '甲市 <&> "城区"'), (12, "乙县"), (7, "丙镇")]


class _Form(forms.Form):
    region = forms.TypedChoiceField(coerce=int, required=False, choices=CHOICES)


class _PlainForm(forms.Form):
    region = forms.TypedChoiceField(coerce=int, required=False, choices=CHOICES, widget=PlainSelect)


def test_the_same_select_and_options_as_djangos_widget_escaped_the_same_way():
    for data in ({}, {"region": "12"}, {"region": "999"}):
        django_markup = str(_Form(data)["region"])
        plain_markup = str(_PlainForm(data)["region"])
        expected, got = _parsed(django_markup), _parsed(plain_markup)
        assert got.select == expected.select  # name, id and attributes
        assert got.options == expected.options  # values, labels, which one is selected
    selected = [o for o in _parsed(str(_PlainForm({"region": "12"})["region"])).options if o[1]]
    assert selected == [["12", True, "乙县"]]
    assert "&lt;&amp;&gt; &quot;城区&quot;" in str(_PlainForm({})["region"])
