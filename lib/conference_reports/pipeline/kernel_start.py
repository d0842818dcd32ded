"""How the runner starts a report's kernel: the `conference-reports` kernel without its debugger.

    python -m conference_reports.pipeline.kernel_start -f CONNECTION_FILE

ipykernel loads debugpy at every start (about 0.12 s, and its frozen-modules switch slows every
import after it) for a debugger nobody attaches to a scheduled run. JupyterLab starts the kernel from
its spec as it is, debugger and all. A kernel started by the runner dies with the process that
started it (named by CONFERENCE_REPORTS_KERNEL_PARENT), as its first step.
"""

import os
import sys

if __name__ == "__main__":
    from conference_reports.pipeline.kernel import PARENT_ENV, die_with

    if parent := os.environ.pop(PARENT_ENV, ""):
        die_with(int(parent))
    sys.modules["debugpy"] = None  # type: ignore[assignment]  (ipykernel then leaves its debugger out)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
