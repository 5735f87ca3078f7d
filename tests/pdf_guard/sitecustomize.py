"""Test-only start-up hook, on PYTHONPATH only inside tests not marked `pdf` (conftest.py):
a backplan child process notes any WeasyPrint render for the test to report."""

import backplan_pdf_guard

backplan_pdf_guard.install_from_environment()
