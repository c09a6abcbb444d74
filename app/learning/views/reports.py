"""Training reports for moderators: a page with SVG charts and a CSV export per course."""

from __future__ import annotations

from flask import Response, render_template

from app.core import spreadsheet
from app.core.charts import bar_chart
from app.core.permissions import requires
from app.learning import policy, stats
from app.learning.services import progress


@requires(policy.can_view_reports)
def reports() -> str:
    return render_template("learning/reports_index.html", courses=progress.catalogue())


@requires(policy.can_view_reports)
def course_report(slug: str) -> str:
    course = progress.get_course(slug)
    report = stats.course_stats(course)
    charts = {
        "average": bar_chart([(m.title, m.average) for m in report.modules],
                             title="Average attempt score by module (%)", unit="%", max_value=100),
        "pass_rate": bar_chart([(m.title, m.pass_rate) for m in report.modules],
                               title="Share of attempts passed by module (%)", unit="%",
                               max_value=100),
    }  # fmt: skip
    return render_template("learning/report.html", course=course, report=report, charts=charts)


@requires(policy.can_view_reports)
def course_report_csv(slug: str) -> Response:
    course = progress.get_course(slug)
    report = stats.course_stats(course)
    rows: list[list[object]] = [
        ["course", course.title],
        ["enrolments", report.enrolments],
        ["completions", report.completions],
        ["completion_rate_percent", report.completion_rate],
        ["average_score_percent", report.average_score],
        [],
        ["module", "question", "type", "answered", "share_correct_percent",
         "most_chosen_wrong_answer"],
    ]  # fmt: skip
    rows += [
        [q.module, q.name, q.qtype, q.answered, q.share_correct, q.most_chosen_wrong]
        for q in report.questions
    ]
    return Response(spreadsheet.csv_text(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{course.slug}-report.csv"'})  # fmt: skip
