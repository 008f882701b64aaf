"""catalogue_import file.xlsx|file.json [--publish --user admin] [--dry-run]: load a whole catalogue, all or nothing."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from onewindow.catalogue.exchange import catalogue_import

MAX_WARNINGS_SHOWN = 50


class Command(BaseCommand):
    help = ("导入事项目录（Excel 模板或 JSON）。先校验整个文件，有任何错误都不写入；"
            "--publish 由系统管理员直接发布（须通过全部质量规则）。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 或 .json 文件")
        parser.add_argument("--user", help="操作人用户名（记入审计日志）；--publish 时必须是超级用户")
        parser.add_argument("--publish", action="store_true", help="导入后直接发布（不经审核，仅限系统管理员批量导入）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--format", dest="file_format", choices=["xlsx", "json"], help="文件格式；默认按扩展名和内容判断")
        parser.add_argument("--reason", default="", help="发布说明（记入审计日志），默认“批量导入：文件名”")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        actor = None
        username = options["user"]
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"用户“{username}”不存在。")
        if options["publish"]:
            if actor is None:
                raise CommandError("--publish 须用 --user 指定一名超级用户（系统管理员）。")
            if not actor.is_superuser:
                raise CommandError(f"用户“{username}”不是超级用户，不能直接发布事项。")

        stream = getattr(self.stderr, "_out", sys.stderr)
        disable = True if options["no_progress"] else None  # None: only on a terminal

        def progress(iterable, *, desc: str, total: int):
            return tqdm(iterable, desc=desc, total=total, unit="项", file=stream, disable=disable, leave=True)

        result = catalogue_import(file=options["file"], actor=actor, publish=options["publish"],
                                  dry_run=options["dry_run"], file_format=options["file_format"],
                                  reason=options["reason"], progress=progress)
        if result.warnings and result.ok:
            lines = result.warning_lines()
            shown = lines if options["verbosity"] >= 2 else lines[:MAX_WARNINGS_SHOWN]
            self.stdout.write(self.style.WARNING(f"提示（{len(result.warnings)} 条，不影响导入）："))
            for line in shown:
                self.stdout.write(f"  {line}")
            if len(shown) < len(lines):
                self.stdout.write(f"  ……另有 {len(lines) - len(shown)} 行，使用 -v 2 查看全部")
        if not result.ok:
            for line in result.error_lines():
                self.stderr.write(line)
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
