import pytest

from tests.factories import AdminFactory
from vorsprung.accounts.models import User
from vorsprung.accounts.services import user_set_language, user_update
from vorsprung.core.errors import Conflict, ValidationError

pytestmark = pytest.mark.django_db


def test_an_admin_cannot_take_away_their_own_admin_role():
    admin = AdminFactory()
    with pytest.raises(Conflict) as refused:
        user_update(actor=admin, user=admin, role="sales_rep")
    assert refused.value.message == (
        "You cannot take away your own administrator role; ask another administrator."
    )
    assert User.objects.get(pk=admin.pk).role == "admin"


def test_another_admin_can_change_the_role():
    admin, other = AdminFactory(), AdminFactory()
    assert user_update(actor=other, user=admin, role="manager").role == "manager"


def test_language_must_be_one_of_the_interface_languages():
    admin = AdminFactory()
    with pytest.raises(ValidationError) as refused:
        user_set_language(actor=admin, language="fr")
    assert refused.value.message_dict == {"language": ["Choose one of: en, de, nb."]}
    assert user_set_language(actor=admin, language="nb").language == "nb"
    assert user_set_language(actor=admin, language="").language == ""
