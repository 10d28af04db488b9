from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "palabre.core"
    label = "core"

    def ready(self) -> None:
        from palabre.core.pagecache import watch_writes

        connection_created.connect(watch_writes, dispatch_uid="pagecache-watch-writes")
