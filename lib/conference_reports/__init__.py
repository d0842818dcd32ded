"""Analytics reports for conferences run on django-program."""

import sys

# jsonschema's format checker imports rfc3987_syntax whenever it is installed (JupyterLab's extras
# bring it), and importing it builds a URI grammar: about 1.3 s of every kernel's and host's start.
# Vega-Lite's schema has no "iri" format, the only one it checks, so Altair's validation never uses it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

__version__ = "0.1.0"
