"""``netbox metronet_load FILE.yaml|FILE.json [--dry-run]``: load a whole network from one file.

All or nothing (one transaction) and idempotent (objects are matched by slug or name; a second run updates
what changed and creates nothing new). Errors name the place in the file and exit non-zero with nothing
written. The file format: ``docs/sample-data.md``; a complete example: ``sample_data/bilina.yaml``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from netbox_metronet.loader import LoadError, load_network, read_network_file


class Command(BaseCommand):
    help = _(
        "Load a whole MetroNet network (organizations, sites, equipment, fiber plant, rollout) from one YAML or "
        "JSON file, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("network file (.yaml, .yml or .json)"))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("validate and load everything, then roll back: nothing is written"))

    def handle(self, *args, **options):
        path, dry_run = options["file"], options["dry_run"]
        try:
            stats = load_network(read_network_file(path), dry_run=dry_run)
        except LoadError as e:
            lines = [f"  {where}: {message}" if where else f"  {message}" for where, message in e.errors]
            raise CommandError(
                _("{path}: {count} error(s), nothing was written:").format(path=path, count=len(e.errors))
                + "\n" + "\n".join(lines)
            ) from e
        self.stdout.write(stats.table())
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: everything was rolled back; nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Loaded {path}.").format(path=path)))
