"""UI views of the fiber plant: list, detail, add/edit/delete, bulk import/edit/delete for each model.

Changelog and journal tabs come with ``@register_model_view`` on NetBox models. Detail pages render their
related objects (cables in a segment, strands of a cable, splices of a closure...) as tables restricted to
what the user may view.
"""

import json
from decimal import Decimal

from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from netbox.plugins.utils import get_plugin_config
from netbox.views import generic
from utilities.query import count_related
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..filtersets import annotate_route_length
from ..models import FiberCable, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination
from ..tables import colour_label

__all__ = ("embedded_table", "fiber_cables_queryset", "splice_closures_queryset")

_PLUGIN = "netbox_metronet"


def embedded_table(table_class, queryset, exclude=()):
    """A table of ``queryset`` for a detail page: default columns minus ``exclude``, not paginated or sortable."""
    table = table_class(queryset, orderable=False)
    shown = {c for c in table.Meta.default_columns if c not in exclude} | set(table.exempt_columns)
    for column in table.columns.names():
        if column not in shown:
            table.columns.hide(column)
    table._apply_prefetching()
    return table


def fiber_cables_queryset(queryset):
    """Fiber cables as the cable tables show them: both ends and the route length in a constant number of queries."""
    return annotate_route_length(queryset.select_related("a_site", "a_closure", "b_site", "b_closure"))


def _splices(queryset):
    return queryset.select_related("closure", "strand_a__cable", "strand_b__cable")


def _terminations(queryset):
    return queryset.select_related(
        "strand__cable", "front_port__device__site", "rear_port__device__site"
    )


def splice_closures_queryset(queryset):
    """Splice closures with ``cable_count`` (cables with an end there) and ``splice_count``, as their table shows."""
    cables = (
        FiberCable.objects.filter(Q(a_closure=OuterRef("pk")) | Q(b_closure=OuterRef("pk")))
        .order_by()
        .annotate(c=Func(F("pk"), function="COUNT"))
        .values("c")[:1]
    )
    return queryset.select_related("site").annotate(
        cable_count=Coalesce(Subquery(cables), 0), splice_count=count_related(Splice, "closure")
    )


#
# Route segments
#

@register_model_view(RouteSegment, "list", path="", detail=False)
class RouteSegmentListView(generic.ObjectListView):
    queryset = RouteSegment.objects.annotate(cable_count=count_related(FiberCable, "segments"))
    filterset = filtersets.RouteSegmentFilterSet
    filterset_form = forms.RouteSegmentFilterForm
    table = tables.RouteSegmentTable


@register_model_view(RouteSegment)
class RouteSegmentView(generic.ObjectView):
    queryset = RouteSegment.objects.select_related("asset_owner")

    def get_extra_context(self, request, instance):
        coordinates = (instance.geometry or {}).get("coordinates") or []
        start = coordinates[0] if coordinates else None
        return {
            "cables_table": embedded_table(
                tables.FiberCableTable,
                fiber_cables_queryset(instance.cables.restrict(request.user, "view").distinct()),
            ),
            "geometry_json": json.dumps(instance.geometry, indent=2),
            "point_count": len(coordinates),
            "start_point": {"lon": start[0], "lat": start[1]} if start else None,
        }


@register_model_view(RouteSegment, "add", detail=False)
@register_model_view(RouteSegment, "edit")
class RouteSegmentEditView(generic.ObjectEditView):
    queryset = RouteSegment.objects.all()
    form = forms.RouteSegmentForm


@register_model_view(RouteSegment, "delete")
class RouteSegmentDeleteView(generic.ObjectDeleteView):
    queryset = RouteSegment.objects.all()


@register_model_view(RouteSegment, "bulk_import", path="import", detail=False)
class RouteSegmentBulkImportView(generic.BulkImportView):
    queryset = RouteSegment.objects.all()
    model_form = forms.RouteSegmentImportForm


@register_model_view(RouteSegment, "bulk_edit", path="edit", detail=False)
class RouteSegmentBulkEditView(generic.BulkEditView):
    queryset = RouteSegment.objects.all()
    filterset = filtersets.RouteSegmentFilterSet
    table = tables.RouteSegmentTable
    form = forms.RouteSegmentBulkEditForm


@register_model_view(RouteSegment, "bulk_delete", path="delete", detail=False)
class RouteSegmentBulkDeleteView(generic.BulkDeleteView):
    queryset = RouteSegment.objects.all()
    filterset = filtersets.RouteSegmentFilterSet
    table = tables.RouteSegmentTable


#
# Fiber cables
#

@register_model_view(FiberCable, "list", path="", detail=False)
class FiberCableListView(generic.ObjectListView):
    queryset = fiber_cables_queryset(FiberCable.objects.all())
    filterset = filtersets.FiberCableFilterSet
    filterset_form = forms.FiberCableFilterForm
    table = tables.FiberCableTable


@register_model_view(FiberCable)
class FiberCableView(generic.ObjectView):
    queryset = FiberCable.objects.select_related("a_site", "a_closure", "b_site", "b_closure")

    def get_extra_context(self, request, instance):
        links = list(instance.segment_links.select_related("segment").order_by("position"))
        visible = set(
            RouteSegment.objects.restrict(request.user, "view")
            .filter(pk__in=[link.segment_id for link in links])
            .values_list("pk", flat=True)
        )
        route_length = sum((link.segment.length for link in links), start=Decimal("0"))
        return {
            "route": [(link.position, link.segment if link.segment_id in visible else None) for link in links],
            "route_length_m": route_length,
            "strands_table": embedded_table(
                tables.FiberStrandTable,
                instance.strands.restrict(request.user, "view").select_related("cable"),
                exclude=("cable",),
            ),
        }


@register_model_view(FiberCable, "add", detail=False)
@register_model_view(FiberCable, "edit")
class FiberCableEditView(generic.ObjectEditView):
    queryset = FiberCable.objects.all()
    form = forms.FiberCableForm


@register_model_view(FiberCable, "delete")
class FiberCableDeleteView(generic.ObjectDeleteView):
    queryset = FiberCable.objects.all()


@register_model_view(FiberCable, "bulk_import", path="import", detail=False)
class FiberCableBulkImportView(generic.BulkImportView):
    queryset = FiberCable.objects.all()
    model_form = forms.FiberCableImportForm


@register_model_view(FiberCable, "bulk_edit", path="edit", detail=False)
class FiberCableBulkEditView(generic.BulkEditView):
    queryset = fiber_cables_queryset(FiberCable.objects.all())
    filterset = filtersets.FiberCableFilterSet
    table = tables.FiberCableTable
    form = forms.FiberCableBulkEditForm


@register_model_view(FiberCable, "bulk_delete", path="delete", detail=False)
class FiberCableBulkDeleteView(generic.BulkDeleteView):
    queryset = fiber_cables_queryset(FiberCable.objects.all())
    filterset = filtersets.FiberCableFilterSet
    table = tables.FiberCableTable


#
# Fiber strands
#

@register_model_view(FiberStrand, "list", path="", detail=False)
class FiberStrandListView(generic.ObjectListView):
    queryset = FiberStrand.objects.select_related("cable")
    filterset = filtersets.FiberStrandFilterSet
    filterset_form = forms.FiberStrandFilterForm
    table = tables.FiberStrandTable


@register_model_view(FiberStrand)
class FiberStrandView(generic.ObjectView):
    queryset = FiberStrand.objects.select_related("cable")

    def get_extra_context(self, request, instance):
        try:
            trace_url = reverse(f"plugins:{_PLUGIN}:trace") + f"?strand={instance.pk}"
        except NoReverseMatch:  # the trace view is not installed
            trace_url = None
        splices = Splice.objects.restrict(request.user, "view").filter(
            Q(strand_a=instance) | Q(strand_b=instance)
        )
        return {
            "colour_label": colour_label(instance.colour),
            "tube_colour_label": colour_label(instance.tube_colour),
            "trace_url": trace_url,
            "splices_table": embedded_table(tables.SpliceTable, _splices(splices)),
            "terminations_table": embedded_table(
                tables.StrandTerminationTable,
                _terminations(instance.terminations.restrict(request.user, "view")),
                exclude=("strand",),
            ),
        }


@register_model_view(FiberStrand, "add", detail=False)
@register_model_view(FiberStrand, "edit")
class FiberStrandEditView(generic.ObjectEditView):
    queryset = FiberStrand.objects.all()
    form = forms.FiberStrandForm


@register_model_view(FiberStrand, "delete")
class FiberStrandDeleteView(generic.ObjectDeleteView):
    queryset = FiberStrand.objects.all()


@register_model_view(FiberStrand, "bulk_import", path="import", detail=False)
class FiberStrandBulkImportView(generic.BulkImportView):
    queryset = FiberStrand.objects.all()
    model_form = forms.FiberStrandImportForm


@register_model_view(FiberStrand, "bulk_edit", path="edit", detail=False)
class FiberStrandBulkEditView(generic.BulkEditView):
    queryset = FiberStrand.objects.select_related("cable")
    filterset = filtersets.FiberStrandFilterSet
    table = tables.FiberStrandTable
    form = forms.FiberStrandBulkEditForm


@register_model_view(FiberStrand, "bulk_delete", path="delete", detail=False)
class FiberStrandBulkDeleteView(generic.BulkDeleteView):
    queryset = FiberStrand.objects.select_related("cable")
    filterset = filtersets.FiberStrandFilterSet
    table = tables.FiberStrandTable


#
# Splice closures
#

@register_model_view(SpliceClosure, "list", path="", detail=False)
class SpliceClosureListView(generic.ObjectListView):
    queryset = splice_closures_queryset(SpliceClosure.objects.all())
    filterset = filtersets.SpliceClosureFilterSet
    filterset_form = forms.SpliceClosureFilterForm
    table = tables.SpliceClosureTable


@register_model_view(SpliceClosure)
class SpliceClosureView(generic.ObjectView):
    queryset = SpliceClosure.objects.select_related("site")

    def get_extra_context(self, request, instance):
        cables = FiberCable.objects.restrict(request.user, "view").filter(Q(a_closure=instance) | Q(b_closure=instance))
        return {
            "cables_table": embedded_table(tables.FiberCableTable, fiber_cables_queryset(cables)),
            "splices_table": embedded_table(
                tables.SpliceTable,
                _splices(instance.splices.restrict(request.user, "view")),
                exclude=("closure",),
            ),
        }


@register_model_view(SpliceClosure, "add", detail=False)
@register_model_view(SpliceClosure, "edit")
class SpliceClosureEditView(generic.ObjectEditView):
    queryset = SpliceClosure.objects.all()
    form = forms.SpliceClosureForm


@register_model_view(SpliceClosure, "delete")
class SpliceClosureDeleteView(generic.ObjectDeleteView):
    queryset = SpliceClosure.objects.all()


@register_model_view(SpliceClosure, "bulk_import", path="import", detail=False)
class SpliceClosureBulkImportView(generic.BulkImportView):
    queryset = SpliceClosure.objects.all()
    model_form = forms.SpliceClosureImportForm


@register_model_view(SpliceClosure, "bulk_edit", path="edit", detail=False)
class SpliceClosureBulkEditView(generic.BulkEditView):
    queryset = SpliceClosure.objects.all()
    filterset = filtersets.SpliceClosureFilterSet
    table = tables.SpliceClosureTable
    form = forms.SpliceClosureBulkEditForm


@register_model_view(SpliceClosure, "bulk_delete", path="delete", detail=False)
class SpliceClosureBulkDeleteView(generic.BulkDeleteView):
    queryset = SpliceClosure.objects.all()
    filterset = filtersets.SpliceClosureFilterSet
    table = tables.SpliceClosureTable


#
# Splices
#

@register_model_view(Splice, "list", path="", detail=False)
class SpliceListView(generic.ObjectListView):
    queryset = _splices(Splice.objects.all())
    filterset = filtersets.SpliceFilterSet
    filterset_form = forms.SpliceFilterForm
    table = tables.SpliceTable


@register_model_view(Splice)
class SpliceView(generic.ObjectView):
    queryset = _splices(Splice.objects.all())

    def get_extra_context(self, request, instance):
        return {
            "default_loss_db": get_plugin_config(_PLUGIN, "splice_loss_db"),
            "strands": [
                (instance.strand_a, colour_label(instance.strand_a.colour)),
                (instance.strand_b, colour_label(instance.strand_b.colour)),
            ],
        }


@register_model_view(Splice, "add", detail=False)
@register_model_view(Splice, "edit")
class SpliceEditView(generic.ObjectEditView):
    queryset = Splice.objects.all()
    form = forms.SpliceForm


@register_model_view(Splice, "delete")
class SpliceDeleteView(generic.ObjectDeleteView):
    queryset = Splice.objects.all()


@register_model_view(Splice, "bulk_import", path="import", detail=False)
class SpliceBulkImportView(generic.BulkImportView):
    queryset = Splice.objects.all()
    model_form = forms.SpliceImportForm


@register_model_view(Splice, "bulk_edit", path="edit", detail=False)
class SpliceBulkEditView(generic.BulkEditView):
    queryset = _splices(Splice.objects.all())
    filterset = filtersets.SpliceFilterSet
    table = tables.SpliceTable
    form = forms.SpliceBulkEditForm


@register_model_view(Splice, "bulk_delete", path="delete", detail=False)
class SpliceBulkDeleteView(generic.BulkDeleteView):
    queryset = _splices(Splice.objects.all())
    filterset = filtersets.SpliceFilterSet
    table = tables.SpliceTable


#
# Strand terminations
#

@register_model_view(StrandTermination, "list", path="", detail=False)
class StrandTerminationListView(generic.ObjectListView):
    queryset = _terminations(StrandTermination.objects.all())
    filterset = filtersets.StrandTerminationFilterSet
    filterset_form = forms.StrandTerminationFilterForm
    table = tables.StrandTerminationTable


@register_model_view(StrandTermination)
class StrandTerminationView(generic.ObjectView):
    queryset = _terminations(StrandTermination.objects.all())

    def get_extra_context(self, request, instance):
        return {"colour_label": colour_label(instance.strand.colour)}


@register_model_view(StrandTermination, "add", detail=False)
@register_model_view(StrandTermination, "edit")
class StrandTerminationEditView(generic.ObjectEditView):
    queryset = StrandTermination.objects.all()
    form = forms.StrandTerminationForm


@register_model_view(StrandTermination, "delete")
class StrandTerminationDeleteView(generic.ObjectDeleteView):
    queryset = StrandTermination.objects.all()


@register_model_view(StrandTermination, "bulk_import", path="import", detail=False)
class StrandTerminationBulkImportView(generic.BulkImportView):
    queryset = StrandTermination.objects.all()
    model_form = forms.StrandTerminationImportForm


@register_model_view(StrandTermination, "bulk_edit", path="edit", detail=False)
class StrandTerminationBulkEditView(generic.BulkEditView):
    queryset = _terminations(StrandTermination.objects.all())
    filterset = filtersets.StrandTerminationFilterSet
    table = tables.StrandTerminationTable
    form = forms.StrandTerminationBulkEditForm


@register_model_view(StrandTermination, "bulk_delete", path="delete", detail=False)
class StrandTerminationBulkDeleteView(generic.BulkDeleteView):
    queryset = _terminations(StrandTermination.objects.all())
    filterset = filtersets.StrandTerminationFilterSet
    table = tables.StrandTerminationTable
