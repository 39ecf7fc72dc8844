"""MetroNet dashboards and Grafana-managed alert rules as code.

Built with grafana-foundation-sdk (pinned to its Grafana 11.6 types release). ``generate`` writes the dashboard
JSON, the Grafana provisioning files and the alert-rule file; ``push`` sends the same objects to a Grafana over
its HTTP API (grafana-client). Every query is InfluxQL on the schema of ``docs/collectors.md`` (measurements
``interface``, ``device``, ``optics``) and of the coverage exporter (``coverage*``, ``link_budget``).
"""
