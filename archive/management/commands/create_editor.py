"""Create an editor account (or make an existing user one): staff, in the Editors group.

    python manage.py create_editor USERNAME [--email EMAIL] [--no-password]

The password is asked for twice on a terminal, or read from the first line of standard input
(`echo "$PASSWORD" | python manage.py create_editor ana`). Editors may add, change and view the
archive's records; they cannot delete them or manage users (the Editors group, made by migration
0002). Exits non-zero when anything is wrong.
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITOR_GROUP = "Editors"


class Command(BaseCommand):
    help = "Create an editor account (staff, in the Editors group), or make an existing user an editor."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--no-password", action="store_true", help="Leave an existing user's password as it is (or unusable)"
        )

    def handle(self, *args, username, email, no_password, **options):
        User = get_user_model()
        try:
            group = Group.objects.get(name=EDITOR_GROUP)
        except Group.DoesNotExist as error:
            raise CommandError("The Editors group is missing: run `manage.py migrate` first.") from error
        user = User.objects.filter(username=username).first()
        password = None if no_password else self._password(user or User(username=username, email=email))
        with transaction.atomic():
            created = user is None
            if created:
                user = User(username=username, email=email)
            elif email:
                user.email = email
            if password is not None:
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.is_staff = True
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} editor {username!r}: staff, in the {EDITOR_GROUP} group. Sign in at /admin/.")
        )

    def _password(self, user):
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        else:
            password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("Give a password (or --no-password).")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password
