"""Analytics reports for conferences run on django-program."""

__version__ = "0.1.0"
