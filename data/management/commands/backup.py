"""manage.py backup <dir>: the database and the uploaded files, with a manifest (data/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from data.backup import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite backup) and MEDIA_ROOT into an empty directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        manifest = backup(directory)
        self.stdout.write(f"backed up to {directory}: {manifest['counts']}")
