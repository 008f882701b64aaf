"""Issue a personal API token for a staff account: `manage.py api_token_create clerk --name 窗口程序`."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from onewindow.apiauth.services import api_token_create


class Command(BaseCommand):
    help = "签发工作人员个人 API 令牌（只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="用途说明")
        parser.add_argument("--days", type=int, default=0, help="有效天数；0 表示长期有效")

    def handle(self, *args, username, name, days, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的账户 {username}。")
        expires = timezone.now() + dt.timedelta(days=days) if days > 0 else None
        _token, raw = api_token_create(actor=None, user=user, name=name or "命令行签发", expires_at=expires)
        self.stdout.write(raw)
