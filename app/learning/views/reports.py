"""Training reports for moderators: a page with SVG charts and a CSV export per course."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template

from app.core.charts import bar_chart
from app.core.permissions import Role, role_required
from app.learning import stats
from app.learning.services import progress


def _cell(text: str) -> str:
    """Learners type the wrong answers: keep a spreadsheet from reading them as formulas."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@role_required(Role.MODERATOR)
def reports() -> str:
    return render_template("learning/reports_index.html", courses=progress.catalogue())


@role_required(Role.MODERATOR)
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


@role_required(Role.MODERATOR)
def course_report_csv(slug: str) -> Response:
    course = progress.get_course(slug)
    report = stats.course_stats(course)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["course", course.title])
    writer.writerow(["enrolments", report.enrolments])
    writer.writerow(["completions", report.completions])
    writer.writerow(["completion_rate_percent", report.completion_rate])
    writer.writerow(["average_score_percent", report.average_score])
    writer.writerow([])
    writer.writerow(["module", "question", "type", "answered", "share_correct_percent",
                     "most_chosen_wrong_answer"])  # fmt: skip
    for q in report.questions:
        writer.writerow([q.module, q.name, q.qtype, q.answered, q.share_correct,
                         _cell(q.most_chosen_wrong)])  # fmt: skip
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{course.slug}-report.csv"'})  # fmt: skip
