"""The embedded broker of `make run`: kombu's filesystem transport, made fit to run for days.

kombu's own filesystem transport opens the message under its final name and then writes it, so
a consumer listing the folder at that moment can take a file that is still empty; the worker then
dies on "Expecting value: line 1 column 1 (char 0)" (issue 15). This transport changes three things:

- A message is written under a temporary name that the consumer never picks up (a leading dot and
  a ``.tmp`` end) and then renamed to its final name with ``os.replace``: on one filesystem a rename
  is atomic, so a message file is either absent or complete.
- A consumer claims a message by renaming it into its own in-flight folder (``inflight/<pid>``)
  and deletes it only when the task is acknowledged (the settings ack late). A worker that is
  killed leaves its claimed messages there; the next process to consume finds the folder of a
  process that is no longer alive and puts them back in the queue, so a crash loses no task
  (a task may run twice, which the project's tasks allow: they are idempotent).
- A message that cannot be read or decoded is logged and moved to ``unreadable/`` beside the
  queue, and the consumer goes on with the next one: one bad file is never fatal.

Queues consumed without acknowledgement (Celery's control replies) keep kombu's behaviour: the
message is deleted as soon as it is read.
"""

import logging
import os
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path
from queue import Empty
from time import monotonic_ns

from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads
from kombu.utils.objects import cached_property

logger = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


class Channel(filesystem.Channel):
    def __init__(self, *args, **kwargs):
        self._inflight = {}  # delivery tag -> path of the claimed file
        self._no_ack_queues = set()
        self._recovered = False
        super().__init__(*args, **kwargs)

    # --- folders -------------------------------------------------------------------------
    @cached_property
    def _base_folder(self):
        return Path(self.data_folder_in).parent

    @cached_property
    def inflight_root(self):
        return Path(self.transport_options.get("inflight_folder") or self._base_folder / "inflight")

    @cached_property
    def unreadable_folder(self):
        return Path(self.transport_options.get("unreadable_folder") or self._base_folder / "unreadable")

    def _own_inflight(self):
        folder = self.inflight_root / str(os.getpid())
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    # --- publishing ----------------------------------------------------------------------
    def _put(self, queue, payload, **kwargs):
        """Write the message under a name no consumer looks at, then rename it into place."""
        name = f"{monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"  # sorts in sending order
        final = os.path.join(self.data_folder_out, name)
        temporary = os.path.join(self.data_folder_out, f".{name}{TEMP_SUFFIX}")
        try:
            with open(temporary, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(temporary, final)
        except OSError as exc:
            with suppress(OSError):
                os.unlink(temporary)
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from exc

    # --- consuming -----------------------------------------------------------------------
    def basic_consume(self, queue, no_ack, *args, **kwargs):
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_consume(queue, no_ack, *args, **kwargs)

    def basic_get(self, queue, no_ack=False, **kwargs):
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_get(queue, no_ack=no_ack, **kwargs)

    def _get(self, queue):
        if not self._recovered:
            self.recover_abandoned()
        wanted = f"{queue}.msg"
        names = sorted(n for n in os.listdir(self.data_folder_in) if n.partition(".")[2] == wanted)
        for name in names:
            claimed = self._own_inflight() / name
            try:
                os.replace(os.path.join(self.data_folder_in, name), claimed)
            except FileNotFoundError:
                continue  # another consumer took it first
            try:
                payload = loads(bytes_to_str(claimed.read_bytes()))
                tag = payload["properties"]["delivery_tag"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                self._set_aside(claimed, exc)
                continue
            if queue in self._no_ack_queues:
                claimed.unlink(missing_ok=True)
            else:
                self._inflight[tag] = claimed
            return payload
        raise Empty()

    def _set_aside(self, path, exc):
        self.unreadable_folder.mkdir(parents=True, exist_ok=True)
        target = self.unreadable_folder / path.name
        try:
            os.replace(path, target)
        except OSError:
            target = path
        logger.error(
            "Broker message %s could not be read (%s: %s); moved to %s and skipped.",
            path.name,
            type(exc).__name__,
            exc,
            target,
        )

    def _forget(self, delivery_tag):
        path = self._inflight.pop(delivery_tag, None)
        if path is not None:
            path.unlink(missing_ok=True)

    def basic_ack(self, delivery_tag, multiple=False):
        super().basic_ack(delivery_tag, multiple=multiple)
        self._forget(delivery_tag)

    def basic_reject(self, delivery_tag, requeue=False):
        super().basic_reject(delivery_tag, requeue=requeue)
        self._forget(delivery_tag)

    def _restore(self, message):
        """Requeued (reject with requeue, or a warm shutdown): a new file, then drop the claim."""
        super()._restore(message)
        self._forget(message.delivery_tag)

    def recover_abandoned(self):
        """Put back in the queue the messages claimed by consumers that are no longer running."""
        self._recovered = True
        if not self.inflight_root.is_dir():
            return 0
        restored = 0
        for folder in self.inflight_root.iterdir():
            if not folder.name.isdigit() or int(folder.name) == os.getpid() or _alive(int(folder.name)):
                continue
            for path in folder.iterdir():
                try:
                    os.replace(path, os.path.join(self.data_folder_in, path.name))
                    restored += 1
                except OSError:
                    continue  # another process recovering at the same time took it
            with suppress(OSError):
                folder.rmdir()
        if restored:
            logger.warning("Put back %d broker message(s) left in flight by a stopped worker.", restored)
        return restored

    # --- exchange tables -------------------------------------------------------------------
    # kombu creates an exchange's table by opening the file (empty) and then writing it, so a
    # process binding or publishing at that moment reads an empty file and fails. Here writers
    # take a lock file, and a table is replaced whole (temporary file, then os.replace).
    @contextmanager
    def _table_lock(self, exchange):
        table = self._exchange_file(exchange)
        self.control_folder.mkdir(parents=True, exist_ok=True)
        with open(table.with_name(f".{table.name}.lock"), "ab") as lock_file:
            filesystem.lock(lock_file, filesystem.LOCK_EX)
            try:
                yield table
            finally:
                filesystem.unlock(lock_file)

    def _read_table(self, table):
        try:
            raw = table.read_bytes()
        except FileNotFoundError:
            return []
        try:
            return [filesystem.exchange_queue_t(*q) for q in loads(bytes_to_str(raw))] if raw else []
        except (ValueError, TypeError) as exc:
            logger.error("Exchange table %s could not be read (%s); treated as empty.", table.name, exc)
            return []

    def _write_table(self, table, queues):
        temporary = table.with_name(f".{table.name}.{os.getpid()}{TEMP_SUFFIX}")
        temporary.write_bytes(str_to_bytes(dumps(queues)))
        os.replace(temporary, table)

    def get_table(self, exchange):
        return self._read_table(self._exchange_file(exchange))

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        try:
            with self._table_lock(exchange) as table:
                queues = self._read_table(table)
                if entry not in queues:
                    self._write_table(table, [entry, *queues])
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot bind {queue!r} to {exchange!r}") from exc

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        virtual_delete = super(filesystem.Channel, self)._delete
        virtual_delete(queue, exchange, routing_key, pattern, *args, **kwargs)
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(exchange) as table:
            queues = self._read_table(table)
            if entry in queues:
                self._write_table(table, [q for q in queues if q != entry])


class Transport(filesystem.Transport):
    Channel = Channel
    driver_type = "filesystem"
    driver_name = "atomicfs"
