from django.contrib.auth import views as auth_views
from django.urls import path

from cleanprod.accounts import views
from cleanprod.accounts.views import LoginView

app_name = "accounts"
urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/done/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("me/", views.MyAccountView.as_view(), name="me"),
    path("organisation/", views.MyOrganisationView.as_view(), name="organisation"),
    path("users/", views.UserListView.as_view(), name="user-list"),
    path("users/add/", views.UserCreateView.as_view(), name="user-add"),
    path("users/<int:pk>/", views.UserUpdateView.as_view(), name="user-edit"),
    path("users/<int:pk>/active/", views.UserActiveView.as_view(), name="user-active"),
    path("pending/", views.PendingView.as_view(), name="pending"),
    path(
        "register/enterprise/",
        views.EnterpriseRegistrationView.as_view(),
        name="register-enterprise",
    ),
    path("register/agency/", views.AgencyApplicationView.as_view(), name="register-agency"),
    path("register/expert/", views.ExpertApplicationView.as_view(), name="register-expert"),
]
