from __future__ import annotations

from typing import Any, cast

import factory

from palabre.accounts.models import Role, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.RESIDENT
    password = factory.django.Password(PASSWORD)


def make_user(**fields: Any) -> User:
    """Create a user (a resident unless `role` says otherwise)."""
    return cast(User, UserFactory(**fields))
