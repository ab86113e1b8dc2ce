"""The service's HTML: the students' upload page, the sign-in form and the TA page.

Jinja2 with autoescaping (``graders.report.templates``), so a student id, a file name or a
reason can never inject markup. The upload page's script only calls the JSON API the
notebook's ``submit()`` calls too.
"""

from __future__ import annotations

from ..report.templates import render

UPLOAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hand in: {{ course }}</title>
<style>{{ style }} label{display:block;margin:.6rem 0} #result{margin-top:1rem}</style></head><body>
<h1>Hand in a notebook</h1>
<section id="signin">
<form id="signin-form"><label>Your token (from your instructor)
<input id="token" name="token" type="password" autocomplete="off" size="50" required></label>
<button type="submit">Sign in</button></form>
<p id="signin-error" class="lost" role="alert"></p>
</section>
<section id="upload" hidden>
<p>Signed in as <b id="who"></b>.</p>
<form id="upload-form"><label>Assignment
<select id="assignment" name="assignment">{% for a in assignments %}<option>{{ a }}</option>{% endfor %}</select></label>
<label>Notebook (.ipynb) <input id="notebook" name="notebook" type="file" accept=".ipynb" required></label>
<button type="submit">Submit</button></form>
<div id="result" role="status"></div>
<h2>Your submissions</h2><table id="mine"><thead><tr><th>received</th><th>assignment</th><th>status</th>
<th class="num">score</th><th></th></tr></thead><tbody></tbody></table>
</section>
<script>
const $ = (id) => document.getElementById(id);
const text = (el, s) => { el.textContent = s; };
async function me() {
  const r = await fetch("/api/me");
  if (!r.ok) return false;
  const body = await r.json();
  text($("who"), body.id); $("signin").hidden = true; $("upload").hidden = false;
  await mine(); return true;
}
function score(s) {
  if (!(s.scores_shown && s.score !== null)) return s.status === "graded" ? "after the deadline" : "";
  return `${s.score} / ${s.max_score}` + (s.waiting_for_ta ? ` (${s.waiting_for_ta} wait for a TA)` : "");
}
async function mine() {
  const r = await fetch("/api/submissions");
  if (!r.ok) return;
  const rows = (await r.json()).submissions;
  const body = $("mine").querySelector("tbody"); body.replaceChildren();
  for (const s of rows) {
    const tr = document.createElement("tr");
    for (const v of [s.received, s.assignment, s.status, score(s)]) { const td = document.createElement("td"); td.textContent = v; tr.append(td); }
    const td = document.createElement("td");
    if (s.feedback) { const a = document.createElement("a"); a.href = s.feedback; a.textContent = "feedback"; td.append(a); }
    tr.append(td); body.append(tr);
  }
}
$("signin-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const r = await fetch("/session", {method: "POST", body: new URLSearchParams({token: $("token").value})});
  if (!r.ok) { text($("signin-error"), (await r.json()).error); return; }
  $("token").value = ""; await me();
});
$("upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = $("result"); text(out, "uploading...");
  const form = new FormData(); form.append("notebook", $("notebook").files[0]);
  const r = await fetch(`/api/submissions/${encodeURIComponent($("assignment").value)}`, {method: "POST", body: form});
  const body = await r.json();
  if (r.status !== 202) { out.className = "lost"; text(out, `not accepted (${r.status}): ${body.error}`); return; }
  out.className = ""; text(out, "queued for grading...");
  for (;;) {
    await new Promise((ok) => setTimeout(ok, 1000));
    const s = await (await fetch(`/api/submissions/${body.id}`)).json();
    if (s.status === "queued" || s.status === "grading") { text(out, `${s.status}...`); continue; }
    out.replaceChildren();
    const p = document.createElement("p"); p.id = "outcome";
    p.textContent = s.status === "graded" ? (s.scores_shown ? `Graded: ${score(s)}` :
      "Graded: your visible checks are below; points after the deadline.") : `${s.status}: ${s.reason || ""}`;
    out.append(p);
    if (s.feedback) { const a = document.createElement("a"); a.id = "feedback-link"; a.href = s.feedback; a.textContent = "Open the feedback page"; out.append(a); }
    await mine(); break;
  }
});
me();
</script>
</body></html>
"""

SIGN_IN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title><style>{{ style }}</style></head><body>
<h1>Sign in</h1><p>{{ why }}</p>
<form method="post" action="/session"><input type="hidden" name="next" value="{{ next }}">
<label>Token <input name="token" type="password" autocomplete="off" size="50" required></label>
<button type="submit">Sign in</button></form></body></html>
"""

MESSAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>{% if refresh %}<meta http-equiv="refresh" content="{{ refresh }}">{% endif %}
<style>{{ style }}</style></head><body><h1>{{ title }}</h1><p>{{ text }}</p></body></html>
"""

TA = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Submissions: {{ course }}</title><meta http-equiv="refresh" content="15">
<style>{{ style }}</style></head><body>
<h1>Submissions</h1>
<p id="counts">{% for status, n in counts %}{{ status }}: <b>{{ n }}</b>{{ " · " if not loop.last }}{% endfor %}
{% if not counts %}none yet{% endif %}</p>
<p><a id="report-link" href="/ta/report">Class report</a> (built from the gradebook when opened)</p>
<h2>Queue</h2>
<table id="queue"><tr><th>received</th><th>student</th><th>assignment</th><th>status</th><th>attempts</th></tr>
{% for s in queue %}<tr><td>{{ s.received }}</td><td>{{ s.student }}</td><td>{{ s.assignment }}</td><td>{{ s.status }}</td><td class="num">{{ s.attempts }}</td></tr>
{% else %}<tr><td colspan="5">empty</td></tr>{% endfor %}</table>
<h2>Could not grade</h2>
<table id="failures"><tr><th>received</th><th>student</th><th>assignment</th><th>reason</th></tr>
{% for s in failures %}<tr><td>{{ s.received }}</td><td>{{ s.student }}</td><td>{{ s.assignment }}</td><td><pre>{{ s.detail }}</pre></td></tr>
{% else %}<tr><td colspan="4">none</td></tr>{% endfor %}</table>
<h2>Recent results</h2>
<table id="recent"><tr><th>received</th><th>student</th><th>assignment</th><th class="num">score</th><th class="num">seconds</th><th>late</th><th></th></tr>
{% for s in recent %}<tr><td>{{ s.received }}</td><td>{{ s.student }}</td><td>{{ s.assignment }}</td>
<td class="num">{{ fmt(s.score) }} / {{ fmt(s.max_score) }}</td><td class="num">{{ "%.1f" % s.seconds if s.seconds is not none else "" }}</td>
<td>{{ "late" if s.late_s else "" }}</td><td><a href="/feedback/{{ s.id }}">feedback</a></td></tr>
{% else %}<tr><td colspan="7">none yet</td></tr>{% endfor %}</table>
</body></html>
"""


def upload_page(course: str, assignments: list[str]) -> str:
    return render(UPLOAD, course=course, assignments=assignments)


def sign_in_page(why: str, next_url: str) -> str:
    return render(SIGN_IN, why=why, next=next_url)


def message_page(title: str, text: str, refresh: int = 0) -> str:
    return render(MESSAGE, title=title, text=text, refresh=refresh)


def ta_page(course: str, counts: dict[str, int], queue: list, failures: list, recent: list) -> str:
    return render(TA, course=course, counts=sorted(counts.items()), queue=queue, failures=failures, recent=recent)
