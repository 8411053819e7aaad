//! The HTML report: a [`TopicReport`] rendered as one self-contained page
//! for people (`topica report REPORT.json -o report.html`). This step owns
//! the page (described on [`render_html`]); the data all comes from the
//! report.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::topics::{DocumentTopic, TopicReport, excerpt};

/// The topic map's drawing area, in SVG user units.
const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 560.0;
const PAD: f64 = 28.0;

/// Characters of a document's opening words in a map point's hover title.
const HOVER_CHARS: usize = 90;

/// Colours of the first ten topics (matplotlib's `tab10` without its grey,
/// which marks outliers); further topics get hues by the golden angle.
const PALETTE: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#393b79",
];

/// Renders `report` as one self-contained HTML page (UTF-8).
///
/// # The page
///
/// - **Topic map**: an inline SVG scatter of the documents'
///   [`coords`](DocumentTopic::coords) (the first two axes), coloured
///   by topic, outliers drawn as grey crosses; hovering a point shows its id,
///   topic and opening words; clicking a topic in the legend highlights it.
///   A report written without `--coords` has no map: the page says so and
///   how to get one.
/// - **Topics**: each topic's name, size and share, its top terms as
///   horizontal bars (c-TF-IDF weight, relative to the topic's first term),
///   and its representative paragraphs: ids, with their opening words when
///   the report has the documents' [`excerpt`](DocumentTopic::excerpt)s
///   (written with `--coords`; the report holds no other text).
/// - **Outliers** with their rule and reason, the silhouette of each k tried,
///   agreement with labels, and the warnings.
///
/// # Self-contained and safe
///
/// No network: no external script, style sheet, font or image; the page's
/// Content-Security-Policy (`default-src 'none'`) forbids loading any, so it
/// reads the same offline. The one inline script is constant (the legend's
/// highlighting); it carries no data from the report. Every string from the
/// report (names, ids, excerpts, reasons, inputs) is HTML-escaped, so a
/// paragraph holding `<script>` shows as text.
///
/// The body's `data-status` attribute is `ok` once the script has run, and
/// `error: MESSAGE` if a script error happened first (tests read it from a
/// headless browser).
///
/// # Example
///
/// ```
/// use topica::cluster::KChoice;
/// use topica::corpus::{Corpus, ReadOptions};
/// use topica::job::{ClusterJob, Progress};
/// use topica::report::render_html;
///
/// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
/// let mut job = ClusterJob::default();
/// job.clustering.k = KChoice::Fixed(4);
/// job.coords = Some(2);
/// let report = job.run(&corpus, &["data/news".into()], None, &Progress::hidden())?;
///
/// let page = render_html(&report);
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert_eq!(page.matches("<circle").count() + page.matches("class=\"pt out\"").count(), 74);
/// for topic in &report.topics {
///     assert!(page.contains(&topic.name));
/// }
/// # Ok::<(), topica::Error>(())
/// ```
pub fn render_html(report: &TopicReport) -> String {
    let mut out = String::with_capacity(16_384 + 300 * report.documents.len());
    let by_id: HashMap<&str, &DocumentTopic> = report
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    head(&mut out, report);
    out.push_str("<body>\n<script>window.onerror = function (m) { document.body.dataset.status = \"error: \" + m; };</script>\n");
    header(&mut out, report);
    map(&mut out, report);
    topics(&mut out, report, &by_id);
    outliers(&mut out, report, &by_id);
    k_selection(&mut out, report);
    warnings(&mut out, report);
    let _ = writeln!(
        out,
        "<footer>Written by topica {} from a report of topica {} (format {}).</footer>",
        env!("CARGO_PKG_VERSION"),
        esc(&report.topica_version),
        report.format
    );
    out.push_str("<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

/// `s` escaped for HTML text and double- or single-quoted attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `v` with `decimals` decimals, or `n/a` when it is not finite.
fn num(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        "n/a".to_string()
    }
}

/// The colour of topic `t` (`t >= 0`).
fn colour(t: i64) -> String {
    match PALETTE.get(t as usize) {
        Some(c) => (*c).to_string(),
        None => format!("hsl({:.0}, 60%, 42%)", (t as f64 * 137.508) % 360.0),
    }
}

/// The CSS class of topic `t`'s colour; outliers' is `out`.
fn class(t: i64) -> String {
    if t < 0 {
        "out".to_string()
    } else {
        format!("t{t}")
    }
}

fn head(out: &mut String, report: &TopicReport) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <title>topica: {} in {}</title>\n<style>\n{STYLE}",
        super::counted(report.topics.len(), "topic"),
        super::counted(report.documents.len(), "document")
    );
    for t in &report.topics {
        let c = colour(t.id);
        let _ = writeln!(out, ".t{}{{fill:{c};background:{c}}}", t.id);
    }
    out.push_str("</style>\n</head>\n");
}

fn header(out: &mut String, report: &TopicReport) {
    let clustering = report.parameters.get("clustering");
    let param = |name: &str| -> String {
        clustering
            .and_then(|c| c.get(name))
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| "?".into())
    };
    let _ = writeln!(
        out,
        "<header>\n<h1>{} in {}</h1>\n<p class=\"inputs\">{}</p>",
        super::counted(report.topics.len(), "topic"),
        super::counted(report.documents.len(), "document"),
        report
            .inputs
            .iter()
            .map(|i| format!("<code>{}</code>", esc(i)))
            .collect::<Vec<_>>()
            .join(" ")
    );
    out.push_str("<dl class=\"stats\">\n");
    let mut stat = |name: &str, value: String| {
        let _ = writeln!(out, "<div><dt>{name}</dt><dd>{value}</dd></div>");
    };
    stat("documents", report.corpus.documents.to_string());
    stat("terms", report.corpus.terms.to_string());
    stat("topics", report.topics.len().to_string());
    stat("outliers", report.outliers.len().to_string());
    stat("method", esc(&param("method")));
    stat("seed", esc(&param("seed")));
    if let Some(s) = report.silhouette {
        stat("silhouette", num(s, 3));
    }
    if let Some(m) = &report.metrics {
        stat("ARI", num(m.adjusted_rand_index, 3));
        stat("NMI", num(m.normalized_mutual_info, 3));
        stat("V-measure", num(m.v_measure, 3));
    }
    out.push_str("</dl>\n");
    if let Some(m) = &report.metrics {
        let _ = writeln!(
            out,
            "<p class=\"note\">Scored against {} ({} documents scored, {} unlabeled, {} \
             ignored; outliers count as one more cluster).</p>",
            esc(&m.labels),
            m.scored,
            m.unlabeled,
            m.ignored
        );
    }
    out.push_str(
        "<nav><a href=\"#map\">Map</a> <a href=\"#topics\">Topics</a> \
         <a href=\"#outliers\">Outliers</a></nav>\n</header>\n",
    );
}

/// The topic map, or why there is none.
fn map(out: &mut String, report: &TopicReport) {
    out.push_str("<section id=\"map\">\n<h2>Topic map</h2>\n");
    let points: Vec<(f64, f64, &DocumentTopic)> = report
        .documents
        .iter()
        .filter_map(|d| match d.coords.as_deref() {
            Some([x, y, ..]) if x.is_finite() && y.is_finite() => Some((*x, *y, d)),
            _ => None,
        })
        .collect();
    if points.is_empty() {
        out.push_str(
            "<p class=\"missing\">This report has no coordinates, so there is no map. \
             Run <code>topica cluster</code> again with <code>--coords 2</code> (and the \
             same inputs and options) to write one, then <code>topica report</code> on \
             the new report.</p>\n</section>\n",
        );
        return;
    }
    if let Some(info) = &report.coords {
        let share = |j: usize| {
            info.explained.get(j).map_or(String::new(), |e| {
                format!(" ({}% of the variance)", num(100.0 * e, 0))
            })
        };
        let _ = writeln!(
            out,
            "<p class=\"note\">Each point is a document, projected from the {}-dimensional \
             LSA space by <code>{}</code>{}: axis 1{}, axis 2{}. Hover a point for its \
             paragraph; click a topic to highlight it.</p>",
            info.lsa_components,
            esc(&info.projection),
            if info.dims > 2 {
                format!(" ({} dimensions, the first two drawn)", info.dims)
            } else {
                String::new()
            },
            share(0),
            share(1)
        );
    }
    let missing = report.documents.len() - points.len();
    if missing > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{missing} documents have no coordinates and are not drawn.</p>"
        );
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y, _) in &points {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    // One scale for both axes, so that distances on the map are distances
    // in the projection.
    let span = ((x1 - x0) / (WIDTH - 2.0 * PAD)).max((y1 - y0) / (HEIGHT - 2.0 * PAD));
    let scale = if span > 0.0 && span.is_finite() {
        1.0 / span
    } else {
        1.0
    };
    let (xc, yc) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let place = |x: f64, y: f64| {
        (
            WIDTH / 2.0 + (x - xc) * scale,
            HEIGHT / 2.0 - (y - yc) * scale,
        )
    };
    let _ = writeln!(
        out,
        "<div class=\"mapbox\">\n<svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-label=\"Map of the documents coloured by topic\">\n\
         <rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\"/>\n\
         <text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">axis 1</text>\n\
         <text class=\"axis\" x=\"14\" y=\"{}\" text-anchor=\"middle\" \
         transform=\"rotate(-90 14 {})\">axis 2</text>",
        WIDTH - 1.0,
        HEIGHT - 1.0,
        WIDTH / 2.0,
        HEIGHT - 8.0,
        HEIGHT / 2.0,
        HEIGHT / 2.0
    );
    let hover = |d: &DocumentTopic| {
        let words = d
            .excerpt
            .as_deref()
            .map(|e| format!("\n{}", excerpt(e, HOVER_CHARS)))
            .unwrap_or_default();
        esc(&format!("{} ({}){words}", d.id, d.topic_name))
    };
    // Smaller points when there are many.
    let r = match points.len() {
        0..=500 => 4.0,
        501..=5000 => 3.0,
        _ => 2.0,
    };
    // Topics first, outliers on top.
    for &(x, y, d) in points.iter().filter(|p| p.2.topic >= 0) {
        let (px, py) = place(x, y);
        let _ = writeln!(
            out,
            "<circle class=\"pt {}\" data-topic=\"{}\" cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"{r}\">\
             <title>{}</title></circle>",
            class(d.topic),
            d.topic,
            hover(d)
        );
    }
    for &(x, y, d) in points.iter().filter(|p| p.2.topic < 0) {
        let (px, py) = place(x, y);
        let _ = writeln!(
            out,
            "<path class=\"pt out\" data-topic=\"-1\" d=\"M{:.1} {:.1}L{:.1} {:.1}M{:.1} \
             {:.1}L{:.1} {:.1}\"><title>{}</title></path>",
            px - 4.0,
            py - 4.0,
            px + 4.0,
            py + 4.0,
            px - 4.0,
            py + 4.0,
            px + 4.0,
            py - 4.0,
            hover(d)
        );
    }
    out.push_str("</svg>\n<ul class=\"legend\">\n");
    for t in &report.topics {
        let _ = writeln!(
            out,
            "<li data-topic=\"{}\" tabindex=\"0\"><span class=\"sw {}\"></span>{} \
             <span class=\"n\">({})</span></li>",
            t.id,
            class(t.id),
            esc(&t.name),
            t.size
        );
    }
    if !report.outliers.is_empty() {
        let _ = writeln!(
            out,
            "<li data-topic=\"-1\" tabindex=\"0\"><span class=\"sw cross\">&#215;</span>\
             outliers <span class=\"n\">({})</span></li>",
            report.outliers.len()
        );
    }
    out.push_str("</ul>\n</div>\n</section>\n");
}

/// Each topic: name, size, top terms as bars, representatives.
fn topics(out: &mut String, report: &TopicReport, by_id: &HashMap<&str, &DocumentTopic>) {
    out.push_str("<section id=\"topics\">\n<h2>Topics</h2>\n");
    let clustered: usize = report.topics.iter().map(|t| t.size).sum();
    let has_excerpts = report.documents.iter().any(|d| d.excerpt.is_some());
    if !has_excerpts {
        out.push_str(
            "<p class=\"note\">The report holds no text, so representatives are shown by id \
             (<code>topica cluster --coords 2</code> also writes each document's opening \
             words).</p>\n",
        );
    }
    for t in &report.topics {
        let share = 100.0 * t.size as f64 / clustered.max(1) as f64;
        let _ = writeln!(
            out,
            "<article class=\"topic\" id=\"topic-{}\">\n<h3><span class=\"sw {}\"></span>\
             Topic {}: <span class=\"name\">{}</span></h3>\n<p class=\"meta\">{} documents \
             ({share:.0}% of the clustered), named {}</p>",
            t.id,
            class(t.id),
            t.id,
            esc(&t.name),
            t.size,
            if t.named_by == "guided" {
                "by the topics file"
            } else {
                "by its top terms"
            }
        );
        let top = t
            .terms
            .iter()
            .map(|term| term.weight)
            .filter(|w| w.is_finite())
            .fold(0.0, f64::max);
        out.push_str("<div class=\"terms\">\n");
        for term in &t.terms {
            let width = if top > 0.0 && term.weight.is_finite() {
                (100.0 * term.weight / top).clamp(0.0, 100.0)
            } else {
                0.0
            };
            let stem = if term.term != term.surface {
                format!(" (stem {})", term.term)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "<div class=\"term\" title=\"{}\"><span class=\"label\">{}</span>\
                 <span class=\"bar\"><span class=\"fill {}\" style=\"width:{width:.1}%\">\
                 </span></span><span class=\"w\">{}</span></div>",
                esc(&format!("c-TF-IDF {}{stem}", num(term.weight, 4))),
                esc(&term.surface),
                class(t.id),
                num(term.weight, 3)
            );
        }
        out.push_str("</div>\n");
        if !t.representatives.is_empty() {
            out.push_str("<h4>Representative paragraphs</h4>\n<ol class=\"reps\">\n");
            for id in &t.representatives {
                let text = by_id
                    .get(id.as_str())
                    .and_then(|d| d.excerpt.as_deref())
                    .map(|e| format!(" {}", esc(e)))
                    .unwrap_or_default();
                let _ = writeln!(out, "<li><code>{}</code>{text}</li>", esc(id));
            }
            out.push_str("</ol>\n");
        }
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
}

fn outliers(out: &mut String, report: &TopicReport, by_id: &HashMap<&str, &DocumentTopic>) {
    out.push_str("<section id=\"outliers\">\n<h2>Outliers</h2>\n");
    if report.outliers.is_empty() {
        out.push_str("<p>No document was set aside.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">{} documents were set aside (topic -1).</p>\n<table>\n\
         <thead><tr><th>id</th><th>rule</th><th>reason</th><th>opening words</th></tr></thead>\n\
         <tbody>",
        report.outliers.len()
    );
    for o in &report.outliers {
        let words = by_id
            .get(o.id.as_str())
            .and_then(|d| d.excerpt.as_deref())
            .map(esc)
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{words}</td></tr>",
            esc(&o.id),
            esc(&o.rule),
            esc(&o.reason)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn k_selection(out: &mut String, report: &TopicReport) {
    if report.k_selection.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"k-selection\">\n<h2>Choice of k</h2>\n\
         <p>The mean silhouette (cosine) of each k tried, in the 30-dimension \
         LSA reduction that compares them; the best is kept.</p>\n<table>\n\
         <thead><tr><th>k</th><th>silhouette</th></tr></thead>\n<tbody>\n",
    );
    for k in &report.k_selection {
        let _ = writeln!(
            out,
            "<tr{}><td>{}</td><td>{}</td></tr>",
            if k.k == report.topics.len() {
                " class=\"chosen\""
            } else {
                ""
            },
            k.k,
            num(k.silhouette, 3)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn warnings(out: &mut String, report: &TopicReport) {
    if report.warnings.is_empty() {
        return;
    }
    out.push_str("<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n");
    for w in &report.warnings {
        let _ = writeln!(out, "<li>{}</li>", esc(w));
    }
    out.push_str("</ul>\n</section>\n");
}

const STYLE: &str = "\
:root{color-scheme:light;--ink:#1d2430;--muted:#5b6472;--line:#dde1e7}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:24px;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:var(--ink);background:#fff}
h1{font-size:1.6em;margin:0 0 .2em}h2{margin-top:1.6em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{margin:.2em 0}h4{margin:.8em 0 .3em;font-size:.95em;color:var(--muted)}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;padding:0 .25em;border-radius:3px}
.inputs,.note,.meta{color:var(--muted)}.missing{padding:1em;border:1px dashed #c77;background:#fff6f5}
.stats{display:flex;flex-wrap:wrap;gap:6px 22px;margin:.6em 0}.stats div{min-width:80px}
.stats dt{font-size:.8em;color:var(--muted)}.stats dd{margin:0;font-size:1.15em;font-weight:600}
nav a{margin-right:1em}
.mapbox{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
svg{flex:1 1 620px;max-width:800px;height:auto;border-radius:4px}
.frame{fill:#fbfbfc;stroke:var(--line)}.axis{fill:var(--muted);font-size:12px}
.pt{stroke:#fff;stroke-width:.6;fill-opacity:.85;transition:opacity .15s}.pt.out{fill:none;stroke:#555;stroke-width:1.6}
.pt.dim{opacity:.12}
.legend{list-style:none;padding:0;margin:0;flex:0 1 240px}
.legend li{cursor:pointer;padding:2px 6px;border-radius:4px;overflow-wrap:anywhere}
.legend li:hover,.legend li.on{background:#eef1f5}
.sw{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.45em;vertical-align:-.05em}
.sw.cross{background:none;color:#555;width:auto;height:auto;border-radius:0;font-weight:700}
.n{color:var(--muted)}
.topic{border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:14px 0}
.topic .name{overflow-wrap:anywhere}
.terms{display:grid;grid-template-columns:minmax(90px,max-content) 1fr 3.5em;gap:3px 10px;max-width:640px}
.term{display:contents}.term .label{text-align:right;overflow-wrap:anywhere}
.bar{background:#f0f2f5;border-radius:3px;height:1em;align-self:center;overflow:hidden}
.fill{display:block;height:100%;border-radius:3px}
.w{color:var(--muted);font-size:.85em;align-self:center}
.reps{margin:0;padding-left:1.4em}.reps li{margin:.25em 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid var(--line)}
tr.chosen td{font-weight:700}
footer{margin-top:2em;color:var(--muted);font-size:.85em}
";

/// The page's only script: clicking (or Enter on) a legend entry highlights
/// that topic on the map; then the body is marked `data-status="ok"`.
const SCRIPT: &str = r##"(function () {
  var items = document.querySelectorAll(".legend li");
  var points = document.querySelectorAll("#map .pt");
  var focus = null;
  function show(topic) {
    focus = focus === topic ? null : topic;
    for (var i = 0; i < points.length; i++) {
      var p = points[i];
      p.classList.toggle("dim", focus !== null && p.getAttribute("data-topic") !== focus);
    }
    for (var j = 0; j < items.length; j++) {
      items[j].classList.toggle("on", items[j].getAttribute("data-topic") === focus);
    }
  }
  for (var j = 0; j < items.length; j++) {
    items[j].addEventListener("click", function () { show(this.getAttribute("data-topic")); });
    items[j].addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(this.getAttribute("data-topic")); }
    });
  }
  if (!document.body.dataset.status) { document.body.dataset.status = "ok"; }
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{CoordsInfo, CorpusStats, Outlier, Topic, TopicTerm};

    const EVIL: &str = "<script>alert(\"x\")</script> & 'quotes' <img src=x onerror=alert(1)>";

    fn document(id: &str, topic: i64, coords: Option<Vec<f64>>) -> DocumentTopic {
        DocumentTopic {
            id: id.into(),
            source: "a.txt".into(),
            position: 0,
            topic,
            topic_name: if topic < 0 { "outlier" } else { "t" }.into(),
            score: 0.5,
            coords,
            excerpt: Some(format!("{EVIL} {id}")),
        }
    }

    fn report(coords: bool) -> TopicReport {
        let c = |x: f64, y: f64| coords.then(|| vec![x, y]);
        TopicReport {
            format: 1,
            topica_version: "0.1.0".into(),
            inputs: vec![EVIL.into()],
            parameters: serde_json::json!({"clustering": {"method": "kmeans", "seed": 0}}),
            corpus: CorpusStats {
                documents: 3,
                terms: 2,
                nonzeros: 3,
            },
            topics: vec![Topic {
                id: 0,
                name: format!("evil{EVIL}"),
                named_by: "terms".into(),
                size: 2,
                terms: vec![
                    TopicTerm {
                        term: EVIL.into(),
                        surface: EVIL.into(),
                        weight: 0.5,
                    },
                    TopicTerm {
                        term: "b".into(),
                        surface: "b".into(),
                        weight: f64::NAN,
                    },
                ],
                representatives: vec!["d<1>".into()],
            }],
            documents: vec![
                document("d<1>", 0, c(0.0, 0.0)),
                document("d2", 0, c(1.0, 1.0)),
                document("d\"3", -1, c(0.5, f64::INFINITY)),
            ],
            outliers: vec![Outlier {
                id: "d\"3".into(),
                rule: "no-terms".into(),
                reason: EVIL.into(),
            }],
            k_selection: Vec::new(),
            silhouette: None,
            dendrogram: None,
            coords: coords.then(|| CoordsInfo {
                dims: 2,
                projection: "document-pca".into(),
                lsa_components: 1,
                explained: vec![1.0, 0.0],
            }),
            metrics: None,
            warnings: vec![EVIL.into()],
        }
    }

    #[test]
    fn every_string_from_the_report_is_escaped() {
        for coords in [true, false] {
            let page = render_html(&report(coords));
            // Only the page's own two scripts, and no image at all.
            assert_eq!(page.matches("<script").count(), 2, "{page}");
            assert!(!page.contains("<img"), "{page}");
            assert!(!page.contains("alert(\""));
            assert!(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
            assert!(page.contains("&#39;quotes&#39;"));
            assert!(page.contains("<code>d&lt;1&gt;</code>"));
        }
    }

    #[test]
    fn a_report_without_coords_says_how_to_get_a_map() {
        let page = render_html(&report(false));
        assert!(page.contains("no coordinates"));
        assert!(page.contains("--coords 2"));
        assert!(!page.contains("<svg"));
    }

    #[test]
    fn points_are_drawn_and_non_finite_ones_left_out() {
        let page = render_html(&report(true));
        assert_eq!(page.matches("<circle").count(), 2);
        // The outlier's y is infinite: not drawn, and said so.
        assert!(!page.contains("class=\"pt out\""));
        assert!(page.contains("1 documents have no coordinates"));
        assert!(!page.contains("NaN") && !page.contains("inf"));
        assert!(page.contains("<span class=\"w\">n/a</span>"));
        assert!(
            page.contains("style=\"width:0.0%\""),
            "a NaN weight draws no bar"
        );
        assert!(page.contains("style=\"width:100.0%\""));
    }

    #[test]
    fn nothing_is_loaded_from_elsewhere() {
        // What is left once the (escaped) text of the report is taken out.
        let page = render_html(&report(true)).replace(&esc(EVIL), "");
        for needle in ["http://", "https://", "src=", "<link", "@import", "url("] {
            assert!(!page.contains(needle), "{needle} in the page");
        }
        assert!(page.contains("default-src 'none'"));
    }

    #[test]
    fn topics_beyond_the_palette_get_distinct_colours() {
        let colours: std::collections::HashSet<String> = (0..40).map(colour).collect();
        assert_eq!(colours.len(), 40);
        assert_eq!(class(-1), "out");
    }
}
