from django.core.management.base import BaseCommand

from borderlink.core import demo_data

NAMES = {"VN": "Viet Nam (Ministry of Public Security)", "LA": "Laos (Ministry of Public Security)",
         "KH": "Cambodia (Ministry of Interior)"}


class Command(BaseCommand):
    help = "Print the demo nodes' addresses and logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--nodes", default="VN:8001 LA:8002 KH:8003", help="COUNTRY:PORT pairs")
        parser.add_argument("--data-dir", default="var/demo")

    def handle(self, *args, **options) -> None:
        out = self.stdout.write
        base = options["data_dir"]
        out("")
        out("Three Borderlink nodes are running, peered with each other (Ctrl-C stops them):")
        for pair in options["nodes"].split():
            country, port = pair.split(":")
            out(f"  {NAMES[country]:42} http://127.0.0.1:{port}/   API http://127.0.0.1:{port}/api/docs")
        out(f"  data and logs: {base}/<vn|la|kh>/ (django.log: requests and errors; web.log, access.log, worker.log)")
        out("")
        out(f"Every demo user has the password {demo_data.DEMO_PASSWORD!r} and the TOTP key {demo_data.DEMO_TOTP_BASE32}")
        out("(add it to any authenticator app, or print the current code, for example:")
        out(f"  BORDERLINK_DATA_DIR={base}/vn BORDERLINK_SECRET_KEY_FILE={base}/vn/secret_key "
            ".venv/bin/python manage.py totp_code vn.officer)")
        out("")
        for pair in options["nodes"].split():
            country, port = pair.split(":")
            users = demo_data.users_for(country)
            out(f"  on http://127.0.0.1:{port}/ ({country}):")
            for username, _first, _last, _unit, caps, lang in users:
                out(f"    {username:15} {', '.join(caps):22} {lang}")
