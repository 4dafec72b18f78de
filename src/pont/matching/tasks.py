"""Background tasks of the matching app (django-tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from pont.matching import adapters


@task()
def build_snapshot() -> str:
    """Build the snapshot of the data as it is now and write it as files every web worker maps (once per
    version: a snapshot already written is not built again); return its folder's name."""
    key = adapters.current_key()
    folder = adapters.shared_folder(key)
    if adapters.load_shared(key) is None:
        folder = adapters.save_shared(adapters.build_all(), key)
    return folder.name
