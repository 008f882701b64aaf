"""`manage.py demo_load`: the demo county 云溪县 with its catalogue and staff accounts (idempotent)."""

import time

from django.core.management.base import BaseCommand

from onewindow.demo.summary import accounts_table, demo_is_loaded


class Command(BaseCommand):
    help = "Load the demo county (云溪县): departments, halls, windows, ~100 items and demo accounts. Idempotent."

    def handle(self, *args, **options):
        started = time.monotonic()
        if demo_is_loaded():
            self.stdout.write("演示数据此前已加载，未做任何修改。")
        else:
            from onewindow.demo.loader import demo_load  # imports jieba/pypinyin: only when there is work

            result = demo_load()
            self.stdout.write(self.style.SUCCESS(
                f"演示数据已加载：发布事项 {result.published} 项，草稿 {result.drafts} 项，待审核 {result.in_review} 项，"
                f"赋权 {result.delegations} 项（用时 {time.monotonic() - started:.1f} 秒）。"))
        self.stdout.write(accounts_table())
