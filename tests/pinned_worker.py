"""`python -m tests.pinned_worker <celery arguments>`: a Celery worker whose clock starts where
the test's clock stands (WORKER_CLOCK, an ISO time) and ticks on. With the suite's clock pinned
(PIN_CLOCK), a worker on the real clock would see every row the test made "now" as hours away."""

import os
import sys
from datetime import datetime

import time_machine
from celery.__main__ import main

if __name__ == "__main__":
    time_machine.travel(datetime.fromisoformat(os.environ["WORKER_CLOCK"]), tick=True).start()
    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
