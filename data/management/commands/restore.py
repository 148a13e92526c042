"""manage.py restore <dir>: a backup into an EMPTY database and MEDIA_ROOT (data/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from data.backup import restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database; refuses otherwise."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        manifest = restore(directory)
        self.stdout.write(f"restored from {directory}: {manifest['counts']}")
