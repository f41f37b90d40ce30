from django.urls import path

from anbiao.campaigns.views import board, ledgers, letters, registers

app_name = "campaigns"
P = "campaigns/"

urlpatterns = [
    path(P, board.BoardView.as_view(), name="board"),
    path(f"{P}board.xlsx", board.BoardExportView.as_view(), name="board_export"),
    path(f"{P}stats/", board.StatsView.as_view(), name="stats"),
    path(f"{P}setup/", board.SetupView.as_view(), name="setup"),
    path(f"{P}filings/", board.FilingListView.as_view(), name="filing_list"),
    path(f"{P}filings/new/", board.FilingCreateView.as_view(), name="filing_create"),
    path(f"{P}filings/<int:pk>/", board.FilingDetailView.as_view(), name="filing_detail"),
    path(f"{P}filings/<int:pk>/accept/", board.FilingReviewView.as_view(verb="accept"), name="filing_accept"),
    path(f"{P}filings/<int:pk>/return/", board.FilingReviewView.as_view(verb="return"), name="filing_return"),
    # 年度工作任务清单
    path(f"{P}tasks/", ledgers.TaskListView.as_view(), name="task_list"),
    path(f"{P}tasks/export.xlsx", ledgers.TaskExportView.as_view(), name="task_export"),
    path(f"{P}tasks/new/", ledgers.TaskCreateView.as_view(), name="task_create"),
    path(f"{P}tasks/<int:pk>/edit/", ledgers.TaskUpdateView.as_view(), name="task_update"),
    # 告知书 / 承诺书
    path(f"{P}letters/", letters.LetterListView.as_view(), name="letter_list"),
    path(f"{P}letters/export.xlsx", letters.LetterExportView.as_view(), name="letter_export"),
    path(f"{P}letters/generate/", letters.LetterGenerateView.as_view(), name="letter_generate"),
    path(f"{P}letters/deliver/", letters.LetterDeliverView.as_view(), name="letter_deliver"),
    path(f"{P}letters/<int:pk>/", letters.LetterDetailView.as_view(), name="letter_detail"),
    path(f"{P}letters/<int:pk>/docx/", letters.LetterDocxView.as_view(), name="letter_docx"),
    path(f"{P}letters/<int:pk>/sign/", letters.LetterSignView.as_view(), name="letter_sign"),
    path(f"{P}letters/<int:pk>/post/", letters.LetterPostView.as_view(), name="letter_post"),
    # Training and 现场观摩
    path(f"{P}sessions/", ledgers.SessionListView.as_view(), name="session_list"),
    path(f"{P}sessions/export.xlsx", ledgers.SessionExportView.as_view(), name="session_export"),
    path(f"{P}sessions/new/", ledgers.SessionCreateView.as_view(), name="session_create"),
    path(
        f"{P}sessions/attendance-template.xlsx",
        ledgers.AttendanceTemplateView.as_view(),
        name="attendance_template",
    ),
    path(f"{P}sessions/<int:pk>/", ledgers.SessionDetailView.as_view(), name="session_detail"),
    path(f"{P}sessions/<int:pk>/edit/", ledgers.SessionUpdateView.as_view(), name="session_update"),
    path(f"{P}sessions/<int:pk>/attendance/", ledgers.AttendanceAddView.as_view(), name="attendance_add"),
    path(f"{P}sessions/<int:pk>/import/", ledgers.AttendanceImportView.as_view(), name="attendance_import"),
    path(f"{P}attendance/<int:pk>/remove/", ledgers.AttendanceRemoveView.as_view(), name="attendance_remove"),
    # Enforcement and 约束激励
    path(f"{P}enforcement/", registers.EnforcementListView.as_view(), name="enforcement_list"),
    path(f"{P}enforcement/export.xlsx", registers.EnforcementExportView.as_view(), name="enforcement_export"),
    path(f"{P}enforcement/new/", registers.EnforcementCreateView.as_view(), name="enforcement_create"),
    path(
        f"{P}enforcement/<int:pk>/edit/", registers.EnforcementUpdateView.as_view(), name="enforcement_update"
    ),
    # 十百千万
    path(f"{P}showcase/", registers.ShowcaseListView.as_view(), name="showcase_list"),
    path(f"{P}showcase/export.xlsx", registers.ShowcaseExportView.as_view(), name="showcase_export"),
    path(f"{P}showcase/new/", registers.ShowcaseCreateView.as_view(), name="showcase_create"),
    path(f"{P}showcase/<int:pk>/edit/", registers.ShowcaseUpdateView.as_view(), name="showcase_update"),
    # 四项规范
    path(f"{P}norms/", registers.NormListView.as_view(), name="norm_list"),
    path(f"{P}norms/export.xlsx", registers.NormExportView.as_view(), name="norm_export"),
    path(f"{P}norms/new/", registers.NormCreateView.as_view(), name="norm_create"),
    path(f"{P}norms/<int:pk>/edit/", registers.NormUpdateView.as_view(), name="norm_update"),
]
