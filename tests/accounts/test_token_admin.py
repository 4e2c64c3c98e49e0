from tests.factories import AdminFactory, UserFactory
from vorsprung.accounts.models import ApiToken
from vorsprung.accounts.tokens import api_token_authenticate


def test_a_token_created_in_the_admin_is_shown_once_and_stored_as_a_hash(client, db):
    admin = AdminFactory(is_staff=True, is_superuser=True)
    alice = UserFactory(username="alice")
    client.force_login(admin)

    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"user": alice.pk, "name": "Zapier", "expires_at_0": "", "expires_at_1": ""},
        follow=True,
    )

    shown = [str(m) for m in response.context["messages"] if str(m).startswith("Token for ")]
    assert len(shown) == 1
    token = shown[0].split(": ", 1)[1].split(" — ")[0]
    assert api_token_authenticate(token) == alice
    record = ApiToken.objects.get(user=alice)
    assert record.name == "Zapier"
    assert token not in {record.key_hash, record.prefix, record.name}


def test_revoking_in_the_admin_stops_the_token(client, db):
    from vorsprung.accounts.tokens import api_token_create

    admin = AdminFactory(is_staff=True, is_superuser=True)
    record, token = api_token_create(actor=None, user=UserFactory())
    client.force_login(admin)

    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [record.pk]},
    )

    assert api_token_authenticate(token) is None
