"""Jinja2 over report_templates/: HTML for the PDF, the notice and the email body.

Autoescape is on for every template and undefined names fail, so untrusted text
prints as text and a missing value never prints as an empty gap.
"""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scorecard.report.assets import TEMPLATES_DIR

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(context: dict) -> str:
    """The executive report as HTML (what the PDF is made from)."""
    return _ENV.get_template("report.html.j2").render(context)


def email_summary_html(context: dict) -> str:
    """A short HTML email body: the headline KPIs with their status."""
    return _ENV.get_template("email_summary.html.j2").render(context)


def notice_html(context: dict) -> str:
    """The one-page data-problem notice sent instead of a report."""
    return _ENV.get_template("notice.html.j2").render(context)
