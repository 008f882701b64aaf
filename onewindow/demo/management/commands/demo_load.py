"""`manage.py demo_load`: the demo county 云溪县 with its catalogue, staff accounts and a history of cases and
ratings (idempotent; `--no-history` leaves the cases out, as the browser tests do)."""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand

from onewindow.demo.summary import accounts_table, demo_is_loaded, history_is_loaded


class Command(BaseCommand):
    help = ("Load the demo county (云溪县): departments, halls, windows, ~100 items, demo accounts and a history of "
            "cases and ratings. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--no-history", action="store_false", dest="history",
                            help="without the history of cases and ratings (faster; the browser tests use it)")

    def handle(self, *args, history=True, **options):
        if demo_is_loaded() and (not history or history_is_loaded()):
            self.stdout.write("演示数据此前已加载，未做任何修改。")
        else:
            from onewindow.demo.loader import demo_load  # imports jieba/pypinyin: only when there is work

            with _quiet_logs():
                result = demo_load(history=history)
            if result.loaded:
                self.stdout.write(self.style.SUCCESS(
                    f"演示数据已加载：发布事项 {result.published} 项，草稿 {result.drafts} 项，待审核 {result.in_review} 项，"
                    f"赋权 {result.delegations} 项（用时 {result.seconds:.1f} 秒）。"))
            if result.history is not None:
                h = result.history
                self.stdout.write(self.style.SUCCESS(
                    f"演示办件已生成：办件 {h.cases} 件，评价 {h.ratings} 条（差评 {h.bad} 条），"
                    f"红牌 {h.red_cards} 张，异常办件 {h.anomalies} 件（用时 {h.seconds:.1f} 秒）。"))
        self.stdout.write(accounts_table())
        if history:
            from onewindow.demo.history import history_lines

            lines = history_lines()
            if lines:
                self.stdout.write("\n".join(lines))


@contextmanager
def _quiet_logs():
    """The history sends dozens of notices, documents and console SMS through the real services: their INFO
    lines would bury the accounts table. Warnings and errors still show."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        root.setLevel(level)
