"""catalogue_template out.xlsx: the empty Excel template for importing the catalogue."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onewindow.catalogue.exchange import catalogue_template


class Command(BaseCommand):
    help = "生成事项导入 Excel 模板（含填写说明、下拉选项和示例）。"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件路径，如 事项导入模板.xlsx")

    def handle(self, *args, out: str, **options):
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("模板文件名应以 .xlsx 结尾。")
        try:
            path.write_bytes(catalogue_template())
        except OSError as exc:
            raise CommandError(f"无法写入“{path}”：{exc.strerror or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已生成导入模板：{path}"))
