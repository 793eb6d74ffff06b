"""python manage.py two_factor_reset USERNAME --by ADMIN --reason "phone lost"

An administrator's reset of a user's two-factor sign-in: the old authenticator and recovery
codes stop working and the next login sets up a new app. Written to the audit trail
(TwoFactorEvent: who, for whom, why)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...two_factor import two_factor_reset


class Command(BaseCommand):
    help = "Reset a user's two-factor sign-in (lost phone); audited."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="the administrator doing the reset (username)")
        parser.add_argument("--reason", required=True, help="why, e.g. 'phone lost, checked in person'")

    def handle(self, *args, username, by, reason, **options):
        users = get_user_model().objects
        try:
            user, actor = users.get(username=username), users.get(username=by)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No such user: {error}") from None
        try:
            two_factor_reset(user=user, actor=actor, reason=reason)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(f"Two-factor sign-in of {username} reset by {by}; the next login sets up a new app.")
