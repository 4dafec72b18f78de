import pytest

from tests.care.world import build_world, pass_second_factor


@pytest.fixture
def world(orgs, users):
    return build_world(orgs, users)


@pytest.fixture
def verified_client(users):
    """Return a client logged in as the persona with the second factor confirmed (a real TOTP code)."""
    from django.test import Client

    def make(name: str) -> Client:
        client = Client()
        client.force_login(users[name])
        pass_second_factor(client, users[name])
        return client

    return make
