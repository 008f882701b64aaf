"""Run the supervision job by hand (what Celery beat runs every 5 minutes)."""

from django.core.management.base import BaseCommand

from onewindow.supervision import services


class Command(BaseCommand):
    help = "发牌（黄牌/红牌）、发送预警，并按需检查体外循环。与 Celery beat 每 5 分钟运行的任务相同。"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true",
                            help="全量扫描：不按上次扫描时间截取，并结束已离开计时的办件的牌。")
        parser.add_argument("--anomalies", action="store_true", help="同时检查体外循环（否则每小时最多一次）。")

    def handle(self, *args, full=False, anomalies=False, **options):
        result = services.supervision_run(full=True if full else None, anomalies=True if anomalies else None)
        self.stdout.write(
            f"full={result.full} examined={result.examined} yellow={result.yellow} red={result.red} "
            f"step_yellow={result.step_yellow} step_red={result.step_red} resolved={result.resolved} "
            f"alerts={result.alerts} anomalies={result.anomalies}")
