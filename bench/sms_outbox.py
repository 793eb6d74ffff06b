"""Time the SMS outbox on the console backend: queue N messages, then send them as the sweep does.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/servicedesk_bench \
        .venv/bin/python bench/sms_outbox.py --messages 1000

Uses (and migrates) the database DATABASE_URL names; creates a mall BENCHSMS. Quiet hours are
switched off for the run (a version of the mall's SMS settings taking effect today), so the
figure does not depend on the hour. Goal (issue 18): 1,000 queued messages sent in under a minute.
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import time as clock

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from servicedesk.models import Mall
    from sms.models import SmsMessage, SmsPolicy
    from sms.services import sms_queue, sms_sweep

    call_command("migrate", verbosity=0)
    logging.getLogger("sms").setLevel(logging.WARNING)  # the console backend's lines, not timed I/O
    mall, _ = Mall.objects.get_or_create(code="BENCHSMS", defaults={"name": "短信基准", "city": "上海"})
    SmsPolicy.objects.update_or_create(
        mall=mall, effective_from=timezone.localdate(), defaults={"quiet_from": clock(0), "quiet_until": clock(0)}
    )
    run = int(time.time())
    started = time.perf_counter()
    with transaction.atomic():  # like many events at once; sends wait for the sweep (no broker here)
        for n in range(args.messages):
            sms_queue(
                mall=mall,
                mobile=f"139{n:08d}",
                event="survey",
                params={"number": f"TS-BENCH-{n:06d}", "link": f"https://desk.example/c/{'x' * 32}/"},
                key=f"bench:{run}:{n}",
            )
    queued = time.perf_counter() - started
    started = time.perf_counter()
    sent = sms_sweep()
    sending = time.perf_counter() - started
    left = SmsMessage.objects.filter(key__startswith=f"bench:{run}:", status="queued").count()
    print(
        f"queued {args.messages} in {queued:.2f} s; sent {sent} in {sending:.2f} s "
        f"({sent / sending:.0f}/s); still queued: {left}"
    )


if __name__ == "__main__":
    main()
