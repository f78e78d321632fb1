//! An idea's family tree as inline SVG, drawn on the server from `domain::ideas::tree`'s
//! layout: no JavaScript, and no inline styles (the site's CSP forbids them), so every look
//! comes from class names in the site's CSS: `idea-tree`, `idea-edge builds-on` /
//! `idea-edge merged`, `idea-node` and `idea-node current`.

use crate::svg::escape;
use guildhall_domain::ideas::LinkKind;
use guildhall_domain::ideas::tree::{Layout, NODE_HEIGHT, NODE_WIDTH, NodeBox};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// Characters of a label that fit a box in the site's 13px sans-serif (about 7px each).
const LABEL_CHARS: usize = 22;

/// The drawing as an SVG element for the page of idea `current` (highlighted, and marked
/// `aria-current`). Each idea links to `/ideas/{id}` and is labelled from `labels` (its title;
/// "Idea {id}" when missing), cut to fit with the full title as its tooltip and accessible
/// name. The `<title>` and `<desc>` say what the drawing shows, row by row, for people who
/// cannot see it.
///
/// The root has `role="group"`, not `role="img"`: an image's content is hidden from assistive
/// technology, which would hide the links inside it (axe's `nested-interactive`).
pub(crate) fn svg(layout: &Layout, labels: &HashMap<i64, String>, current: i64) -> String {
    let label = |id: i64| {
        labels
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("Idea {id}"))
    };
    let id = format!("idea-tree-{current}");
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="idea-tree" role="group" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="{w}" height="{h}">"#,
        w = layout.width,
        h = layout.height,
    );
    let _ = write!(
        out,
        r#"<title id="{id}-title">Family tree of “{}”</title><desc id="{id}-desc">{}</desc>"#,
        escape(&label(current)),
        escape(&describe(layout, &label, current)),
    );
    out.push_str(r#"<g class="idea-edges">"#);
    for edge in &layout.edges {
        let kind = match edge.kind {
            LinkKind::BuildsOn => "builds-on",
            LinkKind::Merged => "merged",
        };
        let points: Vec<String> = edge
            .points
            .iter()
            .map(|(x, y)| format!("{x},{y}"))
            .collect();
        // `fill` is a presentation attribute, not a style, so the CSP allows it: a bent line is
        // never filled black, even before the site's CSS loads.
        let _ = write!(
            out,
            r#"<polyline class="idea-edge {kind}" fill="none" points="{}"/>"#,
            points.join(" ")
        );
    }
    out.push_str("</g>");
    for node in &layout.nodes {
        let full = label(node.id);
        let (class, aria) = if node.id == current {
            ("idea-node current", r#" aria-current="page""#)
        } else {
            ("idea-node", "")
        };
        let _ = write!(
            out,
            r#"<a href="/ideas/{id}" class="{class}"{aria}><title>{title}</title><rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/><text x="{tx}" y="{ty}" text-anchor="middle" dominant-baseline="middle">{text}</text></a>"#,
            id = node.id,
            title = escape(&full),
            x = node.x,
            y = node.y,
            tx = node.x + NODE_WIDTH / 2,
            ty = node.y + NODE_HEIGHT / 2,
            text = escape(&cut(&full)),
        );
    }
    out.push_str("</svg>");
    out
}

/// "3 ideas, earlier ideas above the ideas they led to. Row 1: A. Row 2: B (this idea), C."
fn describe(layout: &Layout, label: &impl Fn(i64) -> String, current: i64) -> String {
    let mut rows: BTreeMap<u32, Vec<&NodeBox>> = BTreeMap::new();
    for node in &layout.nodes {
        rows.entry(node.depth).or_default().push(node);
    }
    let mut text = format!(
        "{} idea{}, earlier ideas above the ideas that build on them or absorbed them.",
        layout.nodes.len(),
        if layout.nodes.len() == 1 { "" } else { "s" }
    );
    for (i, row) in rows.values().enumerate() {
        let names: Vec<String> = row
            .iter()
            .map(|n| {
                if n.id == current {
                    format!("{} (this idea)", label(n.id))
                } else {
                    label(n.id)
                }
            })
            .collect();
        let _ = write!(text, " Row {}: {}.", i + 1, names.join(", "));
    }
    text
}

/// A label cut to [`LABEL_CHARS`], ending in "…" when cut; at a space when one is near the end,
/// so words stay whole.
fn cut(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let kept: String = label.chars().take(LABEL_CHARS - 1).collect();
    let kept = match kept.rfind(' ') {
        Some(space) if kept[..space].chars().count() >= LABEL_CHARS / 2 => &kept[..space],
        _ => kept.as_str(),
    };
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use guildhall_domain::ideas::tree::layout;
    use guildhall_domain::ideas::{Link, family};

    fn sample() -> Vec<Link> {
        vec![
            Link::builds_on(2, 1),
            Link::builds_on(3, 1),
            Link::builds_on(4, 2),
            Link::builds_on(4, 3),
            Link::merged(5, 4),
            Link::builds_on(5, 6),
            Link::builds_on(7, 4),
            Link::builds_on(7, 1),
        ]
    }

    #[test]
    fn the_svg_is_accessible_escaped_and_free_of_styles() {
        let layout = layout(&family(&sample(), 4));
        let labels = HashMap::from([
            (1, "Buddies for new joiners".to_owned()),
            (4, "<script>alert(1)</script> & \"more\"".to_owned()),
            (
                7,
                "A title that is far too long to fit in one box".to_owned(),
            ),
        ]);
        let svg = svg(&layout, &labels, 4);
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" class="idea-tree" role="group" aria-labelledby="idea-tree-4-title idea-tree-4-desc""#));
        assert!(svg.contains(r#"<title id="idea-tree-4-title">Family tree of “&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;”</title>"#));
        assert!(svg.contains(r#"<desc id="idea-tree-4-desc">7 ideas, "#));
        assert!(svg.contains("Row 1: Buddies for new joiners, Idea 6."));
        assert!(svg.contains("(this idea)"));
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("style"));
        assert!(
            svg.contains(r#"<a href="/ideas/4" class="idea-node current" aria-current="page">"#)
        );
        assert!(svg.contains(r#"<a href="/ideas/1" class="idea-node">"#));
        assert_eq!(svg.matches("<a href=").count(), 7);
        assert!(svg.contains(r#"<polyline class="idea-edge merged" fill="none" points=""#));
        assert!(svg.contains(r#"<polyline class="idea-edge builds-on" fill="none" points=""#));
        assert!(svg.contains(">A title that is far…</text>"));
        assert_eq!(
            cut("Supercalifragilisticexpialidocious"),
            "Supercalifragilistice…"
        );
        assert!(svg.contains("<title>A title that is far too long to fit in one box</title>"));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(escape("a'b\u{0}c"), "a&#39;bc");
    }

    #[test]
    fn every_idea_is_a_link_and_one_is_current() {
        let links = sample();
        for idea in 1..=7 {
            let layout = layout(&family(&links, idea));
            let svg = svg(&layout, &HashMap::new(), idea);
            assert_eq!(svg.matches("<a href=").count(), layout.nodes.len());
            assert_eq!(svg.matches("idea-node current").count(), 1);
        }
    }
}
