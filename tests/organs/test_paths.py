"""Organ.path, the materialised path: kept on create, bulk create and moves, region by prefix."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organs.models import Organ, paths_rebuild, region_q

pytestmark = pytest.mark.django_db


def stored_paths() -> dict[str, str]:
    return dict(Organ.objects.values_list("slug", "path"))


def expected_paths() -> dict[str, str]:
    """Each organ's path from its ancestors, walked in Python."""
    parents = dict(Organ.objects.values_list("pk", "parent_id"))
    slugs = dict(Organ.objects.values_list("pk", "slug"))
    out = {}
    for pk in parents:
        chain, node = [], pk
        while node is not None:
            chain.append(node)
            node = parents[node]
        out[slugs[pk]] = "".join(f"{n}/" for n in reversed(chain))
    return out


@pytest.fixture
def tree():
    province = Organ.objects.create(name="省", slug="p")
    city = Organ.objects.create(name="市", slug="c", parent=province)
    county = Organ.objects.create(name="县", slug="k", parent=city)
    town = Organ.objects.create(name="镇", slug="t", parent=county)
    other = Organ.objects.create(name="另一市", slug="o", parent=province)
    return {"province": province, "city": city, "county": county, "town": town, "other": other}


def test_a_new_organ_gets_its_path_on_create(tree):
    assert (
        tree["town"].path
        == "/".join(str(tree[k].pk) for k in ("province", "city", "county", "town")) + "/"
    )
    assert stored_paths() == expected_paths()


def test_moving_an_organ_moves_every_path_below_it(tree):
    county = Organ.objects.get(pk=tree["county"].pk)
    county.parent = tree["other"]
    county.save()
    assert county.path.startswith(tree["other"].path)
    assert stored_paths() == expected_paths()
    assert Organ.objects.get(slug="t").path.startswith(county.path)


def test_saving_without_a_move_keeps_the_path_and_costs_no_rewrite(tree):
    town = Organ.objects.get(pk=tree["town"].pk)
    town.name = "新镇"
    with CaptureQueriesContext(connection) as captured:
        town.save()
    assert not [q for q in captured if "RECURSIVE" in q["sql"]]
    assert stored_paths() == expected_paths()


def test_bulk_created_organs_and_queryset_moves_keep_paths(tree):
    made = Organ.objects.bulk_create(
        [Organ(name=f"村{i}", slug=f"v{i}", parent=tree["town"]) for i in range(3)]
    )
    assert all(o.path.startswith(tree["town"].path) and o.path for o in made)
    Organ.objects.filter(pk=tree["city"].pk).update(parent=tree["other"])
    assert stored_paths() == expected_paths()
    Organ.objects.filter(pk=tree["other"].pk).update(parent=None)
    assert stored_paths() == expected_paths()


def test_paths_rebuild_repairs_stale_paths(tree):
    Organ.objects.filter(pk__in=[tree["city"].pk, tree["town"].pk]).update(path="")
    paths_rebuild()
    assert stored_paths() == expected_paths()


def test_region_q_is_the_subtree(tree):
    region = Organ.objects.filter(region_q([tree["city"].path])).values_list("slug", flat=True)
    assert sorted(region) == ["c", "k", "t"]
    both = Organ.objects.within([tree["county"].path, tree["other"].path])
    assert sorted(both.values_list("slug", flat=True)) == ["k", "o", "t"]
    assert not Organ.objects.filter(region_q([])).exists()


def test_a_prefix_of_digits_is_not_a_region():
    """Organ 1's region is not organ 12's: the separator ends every step of the path."""
    one = Organ.objects.create(name="一", slug="one")
    # An id that begins with one's digits (1 -> 11, 23 -> 231).
    last = Organ.objects.create(pk=one.pk * 10 + 1, name="x", slug="x")
    assert last.path == f"{last.pk}/" and last.path.startswith(one.path[:-1])
    region = Organ.objects.within([one.path]).values_list("pk", flat=True)
    assert list(region) == [one.pk]
