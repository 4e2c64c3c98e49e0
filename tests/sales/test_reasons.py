import pytest

from tests.factories import AdminFactory, ManagerFactory
from vorsprung.core.errors import NotAllowed, ValidationError
from vorsprung.sales.models import LostReason
from vorsprung.sales.reasons import lost_reason_create, lost_reason_retire, lost_reason_update

SEEDED = [
    "Price",
    "Went with a competitor",
    "No decision",
    "Timing",
    "Missing features",
    "Budget cut",
    "Other",
]


@pytest.fixture
def admin(db):
    return AdminFactory()


def offered() -> list[str]:
    return list(LostReason.objects.filter(is_active=True).values_list("label", flat=True))


def in_order() -> list[tuple[int, str, bool]]:
    return list(LostReason.objects.values_list("position", "label", "is_active"))


def reason(label: str) -> LostReason:
    return LostReason.objects.get(label=label)


def test_the_migration_seeds_the_lost_reasons_in_order(db):
    assert offered() == SEEDED


def test_lost_reason_create_adds_a_trimmed_label_at_the_end_of_the_offered_ones(admin):
    lost_reason_retire(actor=admin, reason=reason("Other"))

    created = lost_reason_create(actor=admin, label="  Chose to build it themselves ")

    assert created.label == "Chose to build it themselves"
    assert offered() == [*SEEDED[:-1], "Chose to build it themselves"]
    assert in_order()[-1] == (7, "Other", False)


@pytest.mark.parametrize("label", ["", "   ", None])
def test_lost_reason_create_refuses_an_empty_label(admin, label):
    with pytest.raises(ValidationError) as exc:
        lost_reason_create(actor=admin, label=label)

    assert exc.value.message_dict == {"label": ["Enter a label."]}
    assert offered() == SEEDED


@pytest.mark.parametrize("label", ["Price", "price", " PRICE "])
def test_lost_reason_create_refuses_a_label_the_list_has(admin, label):
    with pytest.raises(ValidationError) as exc:
        lost_reason_create(actor=admin, label=label)

    assert exc.value.message_dict == {"label": ["This label is in the list already."]}
    assert LostReason.objects.count() == len(SEEDED)


def test_a_retired_label_is_restored_rather_than_added_again(admin):
    lost_reason_retire(actor=admin, reason=reason("Timing"))

    with pytest.raises(ValidationError) as exc:
        lost_reason_create(actor=admin, label="timing")

    assert exc.value.message_dict == {
        "label": ["A retired entry has this label; restore it instead."]
    }


def test_lost_reason_create_refuses_an_overlong_label(admin):
    with pytest.raises(ValidationError) as exc:
        lost_reason_create(actor=admin, label="x" * 256)

    assert exc.value.message_dict == {
        "label": ["Ensure this value has at most 255 characters (it has 256)."]
    }


def test_lost_reason_update_renames(admin):
    lost_reason_update(actor=admin, reason=reason("Price"), label="Price too high")

    assert offered()[0] == "Price too high"


def test_lost_reason_update_may_change_the_letter_case_of_its_own_label(admin):
    lost_reason_update(actor=admin, reason=reason("Timing"), label="TIMING")

    assert "TIMING" in offered()


@pytest.mark.parametrize(
    ("label", "message"), [("", "Enter a label."), ("price", "This label is in the list already.")]
)
def test_lost_reason_update_refuses_an_empty_or_taken_label(admin, label, message):
    with pytest.raises(ValidationError) as exc:
        lost_reason_update(actor=admin, reason=reason("Timing"), label=label)

    assert exc.value.message_dict == {"label": [message]}
    assert offered() == SEEDED


@pytest.mark.parametrize(
    ("label", "position", "expected_first_three"),
    [
        ("Timing", 0, ["Timing", "Price", "Went with a competitor"]),
        ("Price", 1, ["Went with a competitor", "Price", "No decision"]),
        ("No decision", -5, ["No decision", "Price", "Went with a competitor"]),
    ],
)
def test_lost_reason_update_moves_a_reason_to_its_new_place(
    admin, label, position, expected_first_three
):
    lost_reason_update(actor=admin, reason=reason(label), position=position)

    assert offered()[:3] == expected_first_three
    assert [position for position, _label, _active in in_order()] == list(range(len(SEEDED)))


def test_an_offered_reason_is_not_moved_among_the_retired_ones(admin):
    lost_reason_retire(actor=admin, reason=reason("Other"))

    lost_reason_update(actor=admin, reason=reason("Price"), position=99)

    assert offered()[-1] == "Price"
    assert in_order()[-1] == (6, "Other", False)


def test_lost_reason_retire_stops_offering_a_reason_and_restoring_brings_it_back_last(admin):
    lost_reason_retire(actor=admin, reason=reason("Price"))

    assert "Price" not in offered()
    assert in_order()[-1] == (6, "Price", False)

    lost_reason_update(actor=admin, reason=reason("Price"), is_active=True)

    assert offered() == [*SEEDED[1:], "Price"]


def test_the_lost_reason_services_are_for_administrators(db):
    manager = ManagerFactory()

    with pytest.raises(NotAllowed, match="Only administrators may do this."):
        lost_reason_create(actor=manager, label="Reorganisation")
    with pytest.raises(NotAllowed):
        lost_reason_update(actor=manager, reason=reason("Price"), label="Cost")
    with pytest.raises(NotAllowed):
        lost_reason_retire(actor=manager, reason=reason("Price"))

    assert offered() == SEEDED
