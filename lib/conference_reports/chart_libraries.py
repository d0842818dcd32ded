"""The chart libraries (Vega, Vega-Lite, Vega-Embed) as one inline script, from the Python environment.

One source for both places that need them: the HTML export inlines this script once per page
(`pipeline.export.vega_bundle`), and interactive mode shows it once per notebook in JupyterLab
(`reports.offline.show_libraries`). vl-convert-python ships the libraries, built for the Vega-Lite
version the charts' specs name; nothing is fetched from the network.
"""

from __future__ import annotations

import os
from pathlib import Path

from .files import write_atomic


def vega_lite_version() -> str:
    """'v6_4' for the charts' Vega-Lite 6.4.x, as vl-convert names bundles."""
    from .charts.vegalite import VEGA_LITE_VERSION

    return "v" + "_".join(VEGA_LITE_VERSION.split(".")[:2])


def bundle_cache_path() -> Path:
    """Where the built bundle is kept between runs ($XDG_CACHE_HOME/conference-reports/...)."""
    import vl_convert as vlc

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "conference-reports" / f"vega-bundle-{vlc.__version__}-{vega_lite_version()}.js"


def cached_bundle() -> str:
    """Vega + Vega-Lite + Vega-Embed as one script that is safe inside `<script>` (about 0.9 MB; 2-4 s
    to build, so kept on disk). It defines the globals `vegaEmbed`, `vega` and `vegaLite`."""
    import vl_convert as vlc

    cache = bundle_cache_path()
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vlc.javascript_bundle(vl_version=vega_lite_version()).replace("</script", "<\\/script")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, bundle)
    except OSError:
        pass  # an unwritable cache only costs the rebuild next time
    return bundle
