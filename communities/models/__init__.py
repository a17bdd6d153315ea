from .communities import Community, LifecycleTransition, Membership
from .people import User
from .tags import Tag

__all__ = ["Community", "LifecycleTransition", "Membership", "Tag", "User"]
