"""Training reports for moderators: a page with SVG charts and a CSV export per course."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _

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
        "learners": bar_chart(
            [(m.title, m.learner_pass_rate) for m in report.modules],
            title=_("Learners who passed, of those who started, by module (%)"), unit="%",
            max_value=100,
        ),
        "average": bar_chart([(m.title, m.average) for m in report.modules],
                             title=_("Average attempt score by module (%)"), unit="%",
                             max_value=100),
    }  # fmt: skip
    return render_template("learning/report.html", course=course, report=report, charts=charts)


def _number(value: float | None) -> float | str:
    return "" if value is None else value


@requires(policy.can_view_reports)
def course_report_csv(slug: str) -> Response:
    course = progress.get_course(slug)
    report = stats.course_stats(course)
    rows: list[list[object]] = [
        ["course", course.title],
        ["learners_enrolled", report.enrolments],
        ["learners_completed", report.completions],
        ["completion_rate_percent", report.completion_rate],
        ["attempts_submitted", report.attempts],
        ["average_attempt_score_percent", report.average_score],
        [],
        ["module", "learners_started", "learners_passed", "learners_passed_percent",
         "median_attempts_to_pass", "attempts", "average_attempt_score_percent",
         "attempts_passed_percent"],
    ]  # fmt: skip
    rows += [
        [m.title, m.started, m.passed, m.learner_pass_rate, _number(m.median_attempts_to_pass),
         m.attempts, m.average, m.pass_rate]
        for m in report.modules
    ]  # fmt: skip
    rows += [
        [],
        ["module", "question", "type", "attempts", "facility_index_percent",
         "discrimination_index_percent", "share_correct_percent", "most_chosen_wrong_answer"],
    ]  # fmt: skip
    rows += [
        [q.module, q.name, q.qtype, q.answered, _number(q.facility), _number(q.discrimination),
         q.share_correct, q.most_chosen_wrong]
        for q in report.questions
    ]  # fmt: skip
    return Response(spreadsheet.csv_text(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{course.slug}-report.csv"'})  # fmt: skip
