from allauth.account.models import EmailAddress
from django.db import transaction

from communities.core.models.people import User


def ensure_demo_user(
    *, email: str, username: str, password: str, is_staff: bool = False, **profile
) -> User:
    """Create (once) a user with a verified email; running it again changes nothing."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "username": username,
                "is_staff": is_staff,
                "is_superuser": is_staff,
                **profile,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user
