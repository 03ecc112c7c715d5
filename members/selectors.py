from .models import MemberProfile, User
from .services import profile_ensure


def profile_for(user: User) -> MemberProfile:
    """The user's own profile; accounts made outside sign-up get theirs on first access."""
    try:
        return user.profile
    except MemberProfile.DoesNotExist:
        return profile_ensure(user=user)
