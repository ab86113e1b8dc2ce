"""The HTML of feedback pages and class reports (Jinja2, autoescaped).

Kept as Python strings rather than package files so the templates travel with any install
of the package. Autoescaping is on: every value is escaped unless marked safe. The only
markup marked safe is the class report's tables (``classreport._table``), which pandas
writes with every value escaped.
"""

from __future__ import annotations

import jinja2

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.ok{color:#176f2c}.lost{color:#a4161a}.wait{color:#8a6d00}
pre{white-space:pre-wrap;margin:0;font-size:.9em}img{max-width:100%;border:1px solid #ddd;margin:.5rem 0}
.num{text-align:right}.note{background:#fff4e5;padding:.6rem;border-left:4px solid #f0a000}
nav{margin:1rem 0;line-height:1.8}table.data td{max-width:28rem;overflow-wrap:break-word}
"""

FEEDBACK = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Feedback: {{ r.assignment }} ({{ r.student }})</title>
<style>{{ style }}</style></head><body>
<h1>Feedback: {{ r.key }}</h1>
<p>Student: <b>{{ r.student }}</b>{% if r.timestamp %} · submitted {{ r.timestamp }}{% endif %}</p>
{% if not r.graded %}
<p class="note"><b>This notebook could not be graded.</b> {{ r.reason }}</p>
{% else %}
<h2>Score: {{ fmt(r.score - r.late_penalty) }} / {{ fmt(r.max_score) }}</h2>
{% if r.late_penalty %}<p class="note">Late penalty: −{{ fmt(r.late_penalty) }} points.</p>{% endif %}
{% if pending %}<p class="note">{{ pending }} {{ "answer still waits" if pending == 1 else "answers still wait" }} for a TA; {{ "its points are" if pending == 1 else "their points are" }} not counted yet.</p>{% endif %}
{% if blank %}<p class="note">Not answered yet: {{ blank | join(", ") }}. Each still holds <code>raise NotImplementedError()</code> in its answer cell.</p>{% endif %}
<table><tr><th>aspect</th><th class="num">points</th></tr>
{% for a, got, top, waiting in aspects %}<tr><td>{{ a }}</td><td class="num {{ 'wait' if waiting }}">{% if waiting %}{{ fmt(got) if got else "–" }} / {{ fmt(top) }}, {{ waiting }} waiting for a TA{% else %}{{ fmt(got) }} / {{ fmt(top) }}{% endif %}</td></tr>{% endfor %}
</table>
<h2>Each check</h2>
<table><tr><th>check</th><th>aspect</th><th class="num">points</th><th>what to fix</th></tr>
{% for c in r.cells %}<tr>
<td>{{ c.name }}</td><td>{{ c.aspect }}</td>
<td class="num {{ 'wait' if c.score is none else ('ok' if c.passed else 'lost') }}">{{ '–' if c.score is none else fmt(c.score) }} / {{ fmt(c.max_score) }}</td>
<td>{% if c.reason %}<pre>{{ c.reason }}</pre>{% elif c.passed %}<span class="ok">passed</span>{% endif %}
{% if c.comment %}<p><b>TA:</b> {{ c.comment }}</p>{% endif %}</td></tr>
{% endfor %}</table>
{% if r.images %}<h2>Your plots</h2>
{% for png in r.images %}<img alt="a plot from your notebook" src="data:image/png;base64,{{ png }}">
{% endfor %}{% endif %}
{% endif %}
</body></html>
"""

REPORT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Class report: {{ scope }}</title>
<style>{{ style }}</style></head><body>
<h1>Class report: {{ scope }}</h1>
<ul class="headline">{% for line in headline %}<li>{{ line }}</li>{% endfor %}</ul>
<nav><b>Contents:</b> {% for id, title, intro, table, figure in sections %}<a href="#{{ id }}">{{ title }}</a>{{ " · " if not loop.last }}{% endfor %}</nav>
{% for id, title, intro, table, figure in sections %}
<section id="{{ id }}"><h2>{{ title }}</h2>{% if intro %}<p>{{ intro }}</p>{% endif %}
{% if figure %}<img alt="{{ title }}" src="data:image/png;base64,{{ figure }}">{% endif %}
{{ table }}</section>
{% endfor %}
</body></html>
"""

ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def fmt(x: float | None) -> str:
    """3 -> '3', 2.5 -> '2.5': points without trailing zeros."""
    if x is None:
        return "–"
    return f"{x:g}"


def render(template: str, **values) -> str:
    return ENV.from_string(template).render(style=STYLE, fmt=fmt, **values)
