from .mfa import mfa_required
from .roles import primary_role, roles_of


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "primary_role": None, "mfa_required": False}
    return {
        "user_roles": {role.value for role in roles_of(user)},
        "primary_role": primary_role(user),
        # The two-factor pages explain why to staff, for whom it is not optional.
        "mfa_required": mfa_required(user),
    }
