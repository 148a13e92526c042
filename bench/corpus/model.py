"""The corpus' plain data: organs of the region and one report sample per organ and year."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Organ:
    """One publishing organ; ``parent`` is the slug of the city it belongs to."""

    slug: str
    name: str
    kind: str  # "city" | "county" | "town" | "street" | "department"
    parent: str | None = None

    @property
    def short(self) -> str:
        """How the organ calls itself in prose (我镇, 我局 ...)."""
        kinds = {"city": "我市", "county": "我县", "town": "我镇", "street": "我街道"}
        return kinds.get(self.kind, "我局")


@dataclass
class Sample:
    """One report: what it prints (figures, prose) and what the checks must say about it."""

    key: str
    organ: Organ
    year: int
    edition: str
    published: str
    figures: dict
    prose: dict[str, str]
    faults: tuple[str, ...] = ()
    expected_findings: tuple[str, ...] = ()
    # Numbers the prose states, as the generator meant them (for tests).
    stated: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.organ.name}{self.year}年政府信息公开工作年度报告"
