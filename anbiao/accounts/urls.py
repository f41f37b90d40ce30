from django.contrib.auth import views as auth_views
from django.urls import path

from anbiao.accounts import views

auth_urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/otp/", views.OTPVerifyView.as_view(), name="otp_verify"),
    path("accounts/otp/setup/", views.OTPSetupView.as_view(), name="otp_setup"),
]

app_name = "accounts"
urlpatterns = [
    path("", views.UserListView.as_view(), name="user_list"),
    path("new/", views.UserCreateView.as_view(), name="user_create"),
    path("<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_update"),
    path("<int:pk>/reset-password/", views.UserResetPasswordView.as_view(), name="user_reset_password"),
    path("<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("<int:pk>/otp-reset/", views.UserOTPResetView.as_view(), name="user_otp_reset"),
    path("<int:pk>/memberships/", views.MembershipAddView.as_view(), name="membership_add"),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership_end"),
]
