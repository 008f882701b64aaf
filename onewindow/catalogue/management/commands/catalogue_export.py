"""catalogue_export --format xlsx|json out: the published catalogue (or every open draft) in the import shape."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onewindow.catalogue.exchange import catalogue_export
from onewindow.catalogue.exchange.export import FORMATS, versions_for_export


class Command(BaseCommand):
    help = "导出事项目录（Excel 模板格式或 JSON），可直接导入另一套系统。"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件路径（.xlsx 或 .json）")
        parser.add_argument("--format", dest="file_format", choices=FORMATS,
                            help="输出格式；不指定时按文件扩展名判断，默认 xlsx")
        parser.add_argument("--all-drafts", action="store_true",
                            help="导出每个事项的工作版本：有草稿或待审核版本的导出该版本，否则导出现行版本")

    def handle(self, *args, out: str, file_format: str | None, all_drafts: bool, **options):
        path = Path(out)
        file_format = file_format or ("json" if path.suffix.lower() == ".json" else "xlsx")
        count = versions_for_export(all_drafts=all_drafts).count()
        content = catalogue_export(file_format=file_format, all_drafts=all_drafts)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入“{path}”：{exc.strerror or exc}") from exc
        scope = "工作版本" if all_drafts else "已发布"
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 个{scope}事项到 {path}（{file_format}）"))
