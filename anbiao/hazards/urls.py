from django.urls import path

from anbiao.hazards.views import checklists, exports, hazards, inspections, reports

app_name = "hazards"
urlpatterns = [
    # 隐患清单 / 整改清单
    path("hazards/", hazards.HazardListView.as_view(), name="hazard_list"),
    path("hazards/rectification/", hazards.RectificationListView.as_view(), name="rectification_list"),
    path("hazards/export/", exports.HazardExportView.as_view(), name="hazard_export"),
    path(
        "hazards/rectification/export/",
        exports.RectificationExportView.as_view(),
        name="rectification_export",
    ),
    path("hazards/new/", hazards.HazardCreateView.as_view(), name="hazard_create"),
    path("hazards/<int:pk>/", hazards.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/assign/", hazards.HazardAssignView.as_view(), name="hazard_assign"),
    path("hazards/<int:pk>/start/", hazards.HazardStartView.as_view(), name="hazard_start"),
    path("hazards/<int:pk>/submit/", hazards.HazardSubmitView.as_view(), name="hazard_submit"),
    path("hazards/<int:pk>/accept/", hazards.HazardAcceptView.as_view(), name="hazard_accept"),
    path("hazards/<int:pk>/reject/", hazards.HazardRejectView.as_view(), name="hazard_reject"),
    path("hazards/<int:pk>/void/", hazards.HazardVoidView.as_view(), name="hazard_void"),
    path("hazards/<int:pk>/list/", hazards.ListingCreateView.as_view(), name="listing_create"),
    # 挂牌督办
    path("hazards/listings/", hazards.ListingListView.as_view(), name="listing_list"),
    path("hazards/listings/<int:pk>/delist/", hazards.ListingDelistView.as_view(), name="listing_delist"),
    # 检查
    path("inspections/", inspections.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/export/", exports.InspectionExportView.as_view(), name="inspection_export"),
    path("inspections/new/", inspections.InspectionStartView.as_view(), name="inspection_start"),
    path("inspections/<int:pk>/", inspections.InspectionDetailView.as_view(), name="inspection_detail"),
    path(
        "inspections/<int:pk>/record/", inspections.InspectionRecordView.as_view(), name="inspection_record"
    ),
    path(
        "inspections/<int:pk>/complete/",
        inspections.InspectionCompleteView.as_view(),
        name="inspection_complete",
    ),
    path("inspections/<int:pk>/notice/", exports.NoticeView.as_view(), name="inspection_notice"),
    path("inspections/plans/", inspections.PlanListView.as_view(), name="plan_list"),
    path("inspections/plans/new/", inspections.PlanCreateView.as_view(), name="plan_create"),
    path("inspections/plans/<int:pk>/cancel/", inspections.PlanCancelView.as_view(), name="plan_cancel"),
    # 检查清单库
    path("checklists/", checklists.TemplateListView.as_view(), name="checklist_list"),
    path("checklists/library/<int:pk>/", checklists.LibraryLoadView.as_view(), name="library_load"),
    path("checklists/new/", checklists.TemplateCreateView.as_view(), name="checklist_create"),
    path("checklists/<int:pk>/", checklists.TemplateDetailView.as_view(), name="checklist_detail"),
    path("checklists/<int:pk>/items/", checklists.ItemAddView.as_view(), name="checklist_item_add"),
    path("checklists/<int:pk>/publish/", checklists.TemplatePublishView.as_view(), name="checklist_publish"),
    path("checklists/<int:pk>/export/", exports.ChecklistExportView.as_view(), name="checklist_export"),
    path("checklists/items/<int:pk>/", checklists.ItemEditView.as_view(), name="checklist_item_edit"),
    path(
        "checklists/items/<int:pk>/delete/", checklists.ItemDeleteView.as_view(), name="checklist_item_delete"
    ),
    path("hazards/criteria/", checklists.CriterionListView.as_view(), name="criterion_list"),
    # 内部报告奖励
    path("hazards/reports/", reports.ReportListView.as_view(), name="report_list"),
    path("hazards/reports/<int:pk>/", reports.ReportDetailView.as_view(), name="report_detail"),
    path("hazards/reports/<int:pk>/verify/", reports.ReportVerifyView.as_view(), name="report_verify"),
    path("hazards/reports/<int:pk>/reject/", reports.ReportRejectView.as_view(), name="report_reject"),
    path("hazards/reports/<int:pk>/reward/", reports.ReportRewardView.as_view(), name="report_reward"),
    path("hazards/channels/<int:pk>/", reports.ChannelView.as_view(), name="channel"),
    path("hazards/channels/<int:pk>/qr.svg", reports.ChannelQrView.as_view(), name="channel_qr"),
    path("r/<str:token>/", reports.PublicReportView.as_view(), name="public_report"),
]
