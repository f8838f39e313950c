"""Work to do once after the current transaction commits, however many saves asked for it."""

from django.db import transaction


def on_commit_once(func, using=None):
    """transaction.on_commit(func), unless `func` already waits for this commit: saving a grid
    and its ten tiers re-indexes the bulletin once. Outside a transaction, func runs now."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(entry[1] is func for entry in connection.run_on_commit):
        return
    transaction.on_commit(func, using=using)
