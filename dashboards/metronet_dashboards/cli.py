"""``metronet-grafana``: generate / check the committed files, push to a Grafana.

    metronet-grafana generate [--netbox-url URL]       write dashboards/generated, provisioning, alert rules
    metronet-grafana check                             exit 1 if the committed files differ from the generator
    metronet-grafana push --url https://grafana.example --token-env GRAFANA_TOKEN \\
        [--influxdb-url URL] [--prometheus-url URL] [--influxdb-user-env NAME --influxdb-password-env NAME]

The token is read from the named environment variable, never from the command line, and is not logged.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import replace

from . import generate
from .settings import DEFAULT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="metronet-grafana", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--netbox-url", default=DEFAULT.netbox_url, help="NetBox base URL for links")
    parser.add_argument("--grafana-url", default=DEFAULT.grafana_url, help="Grafana's URL for alert links")
    parser.add_argument("--runbook-base", default=DEFAULT.runbook_base, help="URL of docs/runbooks.md")
    parser.add_argument("--influxdb-database", default=DEFAULT.influxdb_database)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("generate", help="write the generated files into the repository")
    sub.add_parser("check", help="fail if the committed files differ from the generator's output")
    push = sub.add_parser("push", help="push datasources, folder, dashboards and alert rules to a Grafana")
    push.add_argument("--url", required=True, help="Grafana base URL, e.g. http://127.0.0.1:3000")
    push.add_argument("--token-env", required=True, metavar="NAME",
                      help="environment variable holding a Grafana service-account token")
    push.add_argument("--influxdb-url", default=os.environ.get("METRONET_INFLUXDB_URL", "http://127.0.0.1:8086"))
    push.add_argument("--prometheus-url", default=os.environ.get("METRONET_PROMETHEUS_URL", "http://127.0.0.1:9090"))
    push.add_argument("--influxdb-user-env", metavar="NAME", default="")
    push.add_argument("--influxdb-password-env", metavar="NAME", default="")
    push.add_argument("--timeout", type=float, default=10.0)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = replace(DEFAULT, netbox_url=args.netbox_url, grafana_url=args.grafana_url,
                       runbook_base=args.runbook_base, influxdb_database=args.influxdb_database)
    if args.command == "generate":
        for path in generate.write(settings=settings):
            print(f"wrote {path}")
        return 0
    if args.command == "check":
        problems = generate.check(settings=settings)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    token = os.environ.get(args.token_env, "")
    if not token:
        print(f"metronet-grafana: environment variable {args.token_env} is empty or not set", file=sys.stderr)
        return 2
    from grafana_client import GrafanaApi
    from grafana_client.client import GrafanaException

    from .push import push

    api = GrafanaApi.from_url(args.url, credential=token, timeout=args.timeout)
    try:
        report = push(api, generate.build(settings), settings, args.influxdb_url, args.prometheus_url,
                      os.environ.get(args.influxdb_user_env, "") if args.influxdb_user_env else "",
                      os.environ.get(args.influxdb_password_env, "") if args.influxdb_password_env else "")
    except GrafanaException as exc:
        print(f"metronet-grafana: Grafana refused: HTTP {exc.status_code}: {exc.message}", file=sys.stderr)
        return 1
    print(f"created {len(report.created)}, updated {len(report.updated)}: "
          + ", ".join(report.created + report.updated))
    return 0


if __name__ == "__main__":
    sys.exit(main())
