//! Where an idea's family tree goes: boxes and lines for a drawing made by the web face as
//! inline SVG (`web::ideas::tree`).
//!
//! Ideas are laid out in rows by generation, the ideas everything came from on top: an idea
//! sits one row below the lowest idea it comes from, so every line runs downwards. A line that
//! skips rows bends through a column kept free in each row it crosses, so no line ever runs
//! behind a box it does not belong to. Within a row, an idea sits near what it comes from
//! (the mean position above), which keeps lines short and crossings few. Boxes have one size
//! and labels are cut to fit them, so nothing overlaps however long the titles. A wide family
//! makes a wide drawing: the page puts the SVG in a box that scrolls sideways rather than
//! shrinking the text.

use super::lineage::{Family, LinkKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const NODE_WIDTH: i32 = 180;
pub const NODE_HEIGHT: i32 = 44;
pub const GAP_X: i32 = 20;
pub const GAP_Y: i32 = 48;
pub const MARGIN: i32 = 4;
/// Families up to this size draw legibly; the page lists larger ones instead of drawing them.
pub const MAX_NODES: usize = 40;

/// One idea's box: top-left corner, [`NODE_WIDTH`] × [`NODE_HEIGHT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeBox {
    pub id: i64,
    pub x: i32,
    pub y: i32,
    /// The row, 0 at the top.
    pub depth: u32,
}

/// The line of one link, from the bottom middle of the source's box to the top middle of the
/// derived idea's box: straight between neighbouring rows; a link that skips rows bends
/// through a free column of each row it crosses, so it never runs behind another box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub from: i64,
    pub to: i64,
    pub kind: LinkKind,
    /// At least two points, top to bottom.
    pub points: Vec<(i32, i32)>,
}

/// Where everything goes, in a `width` × `height` drawing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<Segment>,
    pub width: i32,
    pub height: i32,
}

/// A place in a row: an idea's box, or the free column a link crossing the row runs through
/// (the link's index and the row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Slot {
    Idea(i64),
    Crossing(usize, u32),
}

/// Positions for every member of `family` and a line per link.
pub fn layout(family: &Family) -> Layout {
    let members = family.members();
    // One line per pair of ideas; a merge says more than a build-on when both link a pair.
    let mut pairs: BTreeMap<(i64, i64), LinkKind> = BTreeMap::new();
    for link in &family.links {
        let kind = pairs
            .entry((link.source(), link.derived()))
            .or_insert(link.kind);
        if link.kind == LinkKind::Merged {
            *kind = LinkKind::Merged;
        }
    }
    let depth = depths(&members, &pairs);
    let row_of = |id: i64| depth.get(&id).copied().unwrap_or(0);

    // Each link as the chain of slots it passes, and each slot's neighbours in the row above.
    let mut rows: BTreeMap<u32, Vec<Slot>> = BTreeMap::new();
    for (&id, &d) in &depth {
        rows.entry(d).or_default().push(Slot::Idea(id));
    }
    let mut chains: Vec<Vec<Slot>> = Vec::new();
    let mut above: HashMap<Slot, Vec<Slot>> = HashMap::new();
    for (index, &(from, to)) in pairs.keys().enumerate() {
        let (top, bottom) = (row_of(from), row_of(to));
        let mut chain = vec![Slot::Idea(from)];
        for row in top.saturating_add(1)..bottom {
            let crossing = Slot::Crossing(index, row);
            rows.entry(row).or_default().push(crossing);
            chain.push(crossing);
        }
        chain.push(Slot::Idea(to));
        for pair in chain.windows(2) {
            above.entry(pair[1]).or_default().push(pair[0]);
        }
        chains.push(chain);
    }

    let widest = rows.values().map(Vec::len).max().unwrap_or(0);
    let content_width = span(widest);
    let mut left_of: HashMap<Slot, i32> = HashMap::new();
    let mut nodes = Vec::new();
    for (&d, row) in &rows {
        // Near what it comes from in the rows above; what comes from nothing there keeps its
        // id order.
        let pull = |slot: &Slot| {
            let xs: Vec<f64> = above
                .get(slot)
                .into_iter()
                .flatten()
                .filter_map(|s| left_of.get(s).copied())
                .map(f64::from)
                .collect();
            if xs.is_empty() {
                f64::INFINITY
            } else {
                #[allow(clippy::cast_precision_loss)]
                let count = xs.len() as f64;
                xs.iter().sum::<f64>() / count
            }
        };
        let mut keyed: Vec<(f64, Slot)> = row.iter().map(|slot| (pull(slot), *slot)).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let left = MARGIN + (content_width - span(keyed.len())) / 2;
        let y = row_top(d);
        for (i, &(_, slot)) in keyed.iter().enumerate() {
            let x = left + px(i).saturating_mul(NODE_WIDTH + GAP_X);
            left_of.insert(slot, x);
            if let Slot::Idea(id) = slot {
                nodes.push(NodeBox { id, x, y, depth: d });
            }
        }
    }

    let edges = pairs
        .iter()
        .zip(&chains)
        .map(|((&(from, to), &kind), chain)| {
            let mut points = Vec::new();
            for slot in chain {
                let x = left_of.get(slot).copied().unwrap_or(MARGIN) + NODE_WIDTH / 2;
                let row = match *slot {
                    Slot::Idea(id) => row_of(id),
                    Slot::Crossing(_, row) => row,
                };
                let top = row_top(row);
                match *slot {
                    Slot::Idea(id) if id == from => points.push((x, top + NODE_HEIGHT)),
                    Slot::Idea(_) => points.push((x, top)),
                    Slot::Crossing(..) => {
                        points.push((x, top));
                        points.push((x, top + NODE_HEIGHT));
                    }
                }
            }
            Segment {
                from,
                to,
                kind,
                points,
            }
        })
        .collect();
    let rows_count = rows.keys().next_back().map_or(0, |last| px(*last) + 1);
    Layout {
        nodes,
        edges,
        width: content_width + 2 * MARGIN,
        height: span_rows(rows_count) + 2 * MARGIN,
    }
}

fn row_top(row: u32) -> i32 {
    MARGIN + px(row).saturating_mul(NODE_HEIGHT + GAP_Y)
}

/// Each member's row: one below the lowest member it comes from (the longest path from a
/// root). Members caught in a loop (never stored by `lineage::may_link`) go one row below the
/// rest rather than making the drawing fail.
fn depths(members: &BTreeSet<i64>, pairs: &BTreeMap<(i64, i64), LinkKind>) -> BTreeMap<i64, u32> {
    let mut waiting: BTreeMap<i64, usize> = members.iter().map(|&m| (m, 0)).collect();
    for &(_, to) in pairs.keys() {
        if let Some(count) = waiting.get_mut(&to) {
            *count += 1;
        }
    }
    let mut depth: BTreeMap<i64, u32> = BTreeMap::new();
    let mut ready: Vec<i64> = waiting
        .iter()
        .filter(|&(_, &n)| n == 0)
        .map(|(&m, _)| m)
        .collect();
    while let Some(id) = ready.pop() {
        let d = *depth.entry(id).or_insert(0);
        for &(_, to) in pairs.keys().filter(|&&(from, _)| from == id) {
            let below = depth.entry(to).or_insert(0);
            *below = (*below).max(d + 1);
            if let Some(count) = waiting.get_mut(&to) {
                *count -= 1;
                if *count == 0 {
                    ready.push(to);
                }
            }
        }
    }
    let stuck_row = depth.values().max().map_or(0, |d| d + 1);
    for (&member, &count) in &waiting {
        if count > 0 {
            depth.insert(member, stuck_row);
        }
    }
    depth
}

fn px(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// Width of `n` boxes side by side.
fn span(n: usize) -> i32 {
    (px(n).saturating_mul(NODE_WIDTH + GAP_X) - GAP_X).max(0)
}

/// Height of `n` rows.
fn span_rows(n: i32) -> i32 {
    (px(n).saturating_mul(NODE_HEIGHT + GAP_Y) - GAP_Y).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ideas::lineage::{Link, family, may_link};
    use proptest::prelude::*;

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

    fn depth_of(layout: &Layout, id: i64) -> u32 {
        layout.nodes.iter().find(|n| n.id == id).unwrap().depth
    }

    #[test]
    fn rows_follow_generations() {
        let layout = layout(&family(&sample(), 4));
        let rows: Vec<(i64, u32)> = [1, 6, 2, 3, 5, 4, 7]
            .iter()
            .map(|&id| (id, depth_of(&layout, id)))
            .collect();
        assert_eq!(
            rows,
            [(1, 0), (6, 0), (2, 1), (3, 1), (5, 1), (4, 2), (7, 3)]
        );
        // 7 builds on 1 and on 4: one row below the lower of the two, and the line from 1 bends
        // through a free column of rows 1 and 2, which makes row 1 four columns wide.
        assert_eq!(layout.edges.len(), 8);
        assert_eq!(layout.height, 4 * NODE_HEIGHT + 3 * GAP_Y + 2 * MARGIN);
        assert_eq!(layout.width, 4 * NODE_WIDTH + 3 * GAP_X + 2 * MARGIN);
        let long = layout
            .edges
            .iter()
            .find(|e| (e.from, e.to) == (1, 7))
            .unwrap();
        assert_eq!(long.points.len(), 6);
        let short = layout
            .edges
            .iter()
            .find(|e| (e.from, e.to) == (4, 7))
            .unwrap();
        assert_eq!(short.points.len(), 2);
        // 5 comes from 6 (right of 1), so it sits right of 2 and 3 (from 1).
        let x = |id| layout.nodes.iter().find(|n| n.id == id).unwrap().x;
        assert!(x(2) < x(3) && x(3) < x(5));
        let merged = layout.edges.iter().find(|e| e.from == 5).unwrap();
        assert_eq!((merged.to, merged.kind), (4, LinkKind::Merged));
    }

    #[test]
    fn a_lonely_idea_is_one_box() {
        let layout = layout(&family(&[], 9));
        assert_eq!(
            layout.nodes,
            [NodeBox {
                id: 9,
                x: MARGIN,
                y: MARGIN,
                depth: 0
            }]
        );
        assert!(layout.edges.is_empty());
        assert_eq!(layout.width, NODE_WIDTH + 2 * MARGIN);
    }

    fn guarded_links() -> impl Strategy<Value = Vec<Link>> {
        prop::collection::vec((0i64..45, 0i64..45, any::<bool>()), 0..90).prop_map(|tries| {
            let mut links = Vec::new();
            for (child, parent, merge) in tries {
                let link = if merge {
                    Link::merged(child, parent)
                } else {
                    Link::builds_on(child, parent)
                };
                if may_link(&links, link).is_ok() {
                    links.push(link);
                }
            }
            links
        })
    }

    proptest! {
        #[test]
        fn boxes_never_overlap_and_lines_run_down(links in guarded_links(), idea in 0i64..45) {
            let family = family(&links, idea);
            let layout = layout(&family);
            let ids: BTreeSet<i64> = layout.nodes.iter().map(|n| n.id).collect();
            prop_assert_eq!(ids.len(), layout.nodes.len());
            prop_assert_eq!(ids, family.members());
            for (i, a) in layout.nodes.iter().enumerate() {
                prop_assert!(a.x >= MARGIN && a.y >= MARGIN);
                prop_assert!(a.x + NODE_WIDTH <= layout.width - MARGIN);
                prop_assert!(a.y + NODE_HEIGHT <= layout.height - MARGIN);
                for b in &layout.nodes[i + 1..] {
                    let apart = a.x + NODE_WIDTH + GAP_X <= b.x
                        || b.x + NODE_WIDTH + GAP_X <= a.x
                        || a.y + NODE_HEIGHT + GAP_Y <= b.y
                        || b.y + NODE_HEIGHT + GAP_Y <= a.y;
                    prop_assert!(apart, "{:?} {:?}", a, b);
                }
            }
            prop_assert!(!layout.edges.is_empty() || family.links.is_empty());
            // Every piece of every line runs down, either across the gap between two rows or
            // through a column of a row that no box takes.
            for edge in &layout.edges {
                prop_assert!(edge.points.len() >= 2);
                for piece in edge.points.windows(2) {
                    let ((x1, y1), (x2, y2)) = (piece[0], piece[1]);
                    prop_assert!(y2 > y1, "{:?}", edge);
                    let gap = (y1 - MARGIN - NODE_HEIGHT) % (NODE_HEIGHT + GAP_Y) == 0
                        && y2 - y1 == GAP_Y;
                    let free_column = x1 == x2
                        && y2 - y1 == NODE_HEIGHT
                        && layout.nodes.iter().all(|n| n.y != y1 || x1 <= n.x || x1 >= n.x + NODE_WIDTH);
                    prop_assert!(gap || free_column, "{:?}", edge);
                }
            }
        }
    }
}
