//! Charts people would rather look at than read, drawn on the server as SVG (no script): each
//! has a title and a description for screen readers, and its numbers as a table beside it.

use crate::svg::escape;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 12.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Counts: one bar per series and label.
    Bars,
    /// Shares or durations: a line per series.
    Line,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub name: &'static str,
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone)]
pub struct Chart {
    /// Used for element ids and the CSV's name.
    pub id: &'static str,
    pub title: &'static str,
    pub description: String,
    /// One per column, e.g. the Monday of each week ("30 Nov").
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    pub shape: Shape,
    /// How values read in the table: "%" shows 0.42 as 42 %.
    pub unit: &'static str,
}

impl Chart {
    /// A value as the table shows it.
    pub fn cell(&self, value: Option<f64>) -> String {
        match (value, self.unit) {
            (None, _) => "—".into(),
            (Some(v), "%") => format!("{:.0} %", v * 100.0),
            (Some(v), "h") => format!("{v:.1} h"),
            (Some(v), _) => format!("{v:.0}"),
        }
    }

    /// The rows of the data table: label, then one cell per series.
    pub fn rows(&self) -> Vec<(String, Vec<String>)> {
        self.labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let cells = self
                    .series
                    .iter()
                    .map(|s| self.cell(s.values.get(i).copied().flatten()))
                    .collect();
                (label.clone(), cells)
            })
            .collect()
    }

    fn top(&self) -> f64 {
        if self.unit == "%" {
            return 1.0;
        }
        let max = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0_f64, |a, b| a.max(*b));
        // A round top: 1, 2 or 5 × 10^n.
        let mut power = 1.0;
        loop {
            for m in [1.0, 2.0, 5.0] {
                if m * power >= max {
                    return m * power;
                }
            }
            power *= 10.0;
        }
    }

    /// The chart as inline SVG markup.
    pub fn svg(&self) -> String {
        let top = self.top();
        let plot_w = WIDTH - LEFT - 8.0;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let n = self.labels.len().max(1);
        #[allow(clippy::cast_precision_loss)]
        let step = plot_w / n as f64;
        let y = |v: f64| TOP + plot_h - (v / top).clamp(0.0, 1.0) * plot_h;
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
            id = self.id,
            title = escape(self.title),
            desc = escape(&self.description),
        );
        let base = TOP + plot_h;
        let top_label = self.cell(Some(top));
        let _ = write!(
            svg,
            r#"<line class="axis" x1="{LEFT}" y1="{base}" x2="{x2}" y2="{base}"/><line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}"/><text x="{tx}" y="{ty}" text-anchor="end">{top_label}</text><text x="{tx}" y="{base}" text-anchor="end">0</text>"#,
            x2 = WIDTH - 8.0,
            tx = LEFT - 4.0,
            ty = TOP + 8.0,
        );
        #[allow(clippy::cast_precision_loss)]
        let groups = self.series.len().max(1) as f64;
        for (k, series) in self.series.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let offset = k as f64;
            match self.shape {
                Shape::Bars => {
                    let bar = (step * 0.7) / groups;
                    for (i, value) in series.values.iter().enumerate() {
                        let Some(v) = value else { continue };
                        #[allow(clippy::cast_precision_loss)]
                        let x = LEFT + step * i as f64 + step * 0.15 + bar * offset;
                        let h = base - y(*v);
                        let _ = write!(
                            svg,
                            r#"<rect class="series-{k}" x="{x:.1}" y="{:.1}" width="{bar:.1}" height="{h:.1}"/>"#,
                            y(*v)
                        );
                    }
                }
                Shape::Line => {
                    let points: Vec<String> = series
                        .values
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| {
                            #[allow(clippy::cast_precision_loss)]
                            let x = LEFT + step * (i as f64 + 0.5);
                            v.map(|v| format!("{x:.1},{:.1}", y(v)))
                        })
                        .collect();
                    let _ = write!(
                        svg,
                        r#"<polyline class="series-{k} line" points="{}"/>"#,
                        points.join(" ")
                    );
                }
            }
        }
        for (i, label) in self.labels.iter().enumerate().step_by(2) {
            #[allow(clippy::cast_precision_loss)]
            let x = LEFT + step * (i as f64 + 0.5);
            let _ = write!(
                svg,
                r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                HEIGHT - 6.0,
                escape(label)
            );
        }
        svg.push_str("</svg>");
        svg
    }

    /// The data as CSV: a header row, then one row per label.
    pub fn csv(&self, out: &mut String) {
        let header: Vec<&str> = std::iter::once("week")
            .chain(self.series.iter().map(|s| s.name))
            .collect();
        let _ = writeln!(out, "# {}", self.title);
        let _ = writeln!(out, "{}", header.join(","));
        for (i, label) in self.labels.iter().enumerate() {
            let cells: Vec<String> = self
                .series
                .iter()
                .map(|s| {
                    s.values
                        .get(i)
                        .copied()
                        .flatten()
                        .map_or(String::new(), |v| format!("{v}"))
                })
                .collect();
            let _ = writeln!(out, "{label},{}", cells.join(","));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(shape: Shape, unit: &'static str, values: Vec<Option<f64>>) -> Chart {
        Chart {
            id: "posts",
            title: "Posts <each> week",
            description: "Posts rose from 3 to 9".into(),
            labels: (0..values.len()).map(|i| format!("w{i}")).collect(),
            series: vec![Series {
                name: "posts",
                values,
            }],
            shape,
            unit,
        }
    }

    #[test]
    fn bars_scale_to_a_round_top_and_escape_text() {
        let c = chart(Shape::Bars, "", vec![Some(3.0), None, Some(9.0)]);
        let svg = c.svg();
        assert!(svg.contains("<title id=\"posts-title\">Posts &lt;each&gt; week</title>"));
        assert_eq!(svg.matches("<rect").count(), 2, "no bar for a missing week");
        assert!(svg.contains(">10</text>"), "top of the axis: {svg}");
        assert_eq!(c.rows()[1].1, vec!["—".to_owned()]);
        let mut csv = String::new();
        c.csv(&mut csv);
        assert_eq!(csv, "# Posts <each> week\nweek,posts\nw0,3\nw1,\nw2,9\n");
    }

    #[test]
    fn shares_draw_a_line_up_to_one_hundred_percent() {
        let c = chart(Shape::Line, "%", vec![Some(0.25), Some(0.5)]);
        let svg = c.svg();
        assert!(svg.contains("<polyline"));
        assert!(svg.contains(">100 %</text>"));
        assert_eq!(c.rows()[0].1, vec!["25 %".to_owned()]);
    }
}
