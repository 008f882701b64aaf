"""Register an external system: `manage.py api_client_create 省政务服务平台 --department 3 --role clerk`."""

from django.core.management.base import BaseCommand, CommandError

from onewindow.apiauth.constants import ClientRole
from onewindow.apiauth.services import api_client_create
from onewindow.core.errors import ApplicationError
from onewindow.org.models import Department


class Command(BaseCommand):
    help = "登记接入系统，输出 client_id 和 client_secret（密钥只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--department", type=int, action="append", required=True, help="部门编号，可重复")
        parser.add_argument("--role", choices=ClientRole.values, default=ClientRole.ACCEPT)

    def handle(self, *args, name, department, role, **options):
        departments = list(Department.objects.filter(pk__in=department))
        if len(departments) != len(set(department)):
            raise CommandError("有部门编号不存在。")
        try:
            client, secret = api_client_create(actor=None, name=name, departments=departments, role=role)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"client_id={client.client_id}\nclient_secret={secret}")
