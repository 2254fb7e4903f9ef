from django.core.management.base import BaseCommand

from borderlink.core import demo_data


class Command(BaseCommand):
    help = "Print the demo node's addresses and logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--data-dir", default="var/demo")

    def handle(self, *args, **options) -> None:
        url, data_dir = options["url"].rstrip("/"), options["data_dir"]
        out = self.stdout.write
        out("")
        out("Borderlink demo node is running (Ctrl-C stops it)")
        out(f"  web:    {url}/")
        out(f"  API:    {url}/api/docs")
        out(f"  admin:  {url}/admin/  (user admin)")
        out(f"  logs:   {data_dir}/")
        out("")
        out(f"Every demo user has the password {demo_data.DEMO_PASSWORD!r}")
        out(f"and the TOTP key {demo_data.DEMO_TOTP_BASE32} (add it to any authenticator app),")
        out("or print the current code with:")
        out(f"  BORDERLINK_DATA_DIR={data_dir} BORDERLINK_SECRET_KEY_FILE={data_dir}/secret_key "
            ".venv/bin/python manage.py totp_code vn.officer")
        out("")
        for username, _first, _last, unit, caps, lang in demo_data.USERS:
            out(f"  {username:15} {unit or '-':13} {', '.join(caps):22} {lang}")
