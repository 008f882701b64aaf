"""`manage.py totp_code USERNAME`: the staff member's current TOTP code (for the demo and for tests)."""

from django.core.management.base import BaseCommand, CommandError

from onewindow.accounts.models import User
from onewindow.accounts.totp import current_code, device_for


class Command(BaseCommand):
    help = "Print a staff user's current TOTP code (what an authenticator app would show)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username} 的账户。")
        device = device_for(user)
        if device is None:
            raise CommandError(f"{username} 还没有开通动态验证码：首次登录时扫码开通。")
        code, seconds = current_code(device)
        self.stdout.write(code)
        self.stderr.write(f"{username} 的动态验证码，{seconds} 秒内有效。")
