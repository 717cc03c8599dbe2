"""Django settings for the tests: the workbench's, with in-memory storage and no log file."""

from workbench.settings import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
SECRET_KEY = "curriculum-quiz tests only"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "workbench",
]
ROOT_URLCONF = "quiz_test_urls"
USE_I18N = True
