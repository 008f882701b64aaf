"""`manage.py generate_catalogue`: realistic scale data for search and list benchmarks.

Every run appends a new batch with its own code prefix (SC01-, SC02- ...): run it twice and you have
twice the items. Use a fresh database for benchmarks (bench/search_bench.py does).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from onewindow.demo.generator import generate_catalogue, generated_count


class Command(BaseCommand):
    help = "Generate and publish realistic service items in bulk (each run appends a batch SC<nn>-)."

    def add_arguments(self, parser):
        parser.add_argument("--departments", type=int, default=40)
        parser.add_argument("--items", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")

    def handle(self, *args, departments, items, seed, no_progress, **options):
        if departments < 1 or items < 1:
            raise CommandError("--departments 和 --items 必须为正整数。")
        before = generated_count()
        if before:
            self.stdout.write(f"已有 {before} 个生成的事项，本次追加一个新批次。")
        started = time.monotonic()
        with tqdm(total=items, unit="项", disable=no_progress or None, desc="生成事项") as bar:
            result = generate_catalogue(departments=departments, items=items, seed=seed, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(
            f"批次 SC{result.batch:02d}：已发布 {result.created} 个事项（{result.departments} 个部门，"
            f"{result.search_terms} 个搜索词），用时 {time.monotonic() - started:.1f} 秒。"))
