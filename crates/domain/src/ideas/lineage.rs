//! Lineage: which ideas an idea comes from, and so who is credited when it is adopted.
//!
//! Two kinds of [`Link`], both stored as (child, parent):
//! - **builds on**: "B builds on A" makes B a child of A. An idea builds on at most
//!   [`MAX_PARENTS`] others: past that it is a summary, not a build-on.
//! - **merged**: merging a duplicate D into the kept idea K makes D a child of K (D's page then
//!   sends people to K).
//!
//! Ideas *flow* along links: a build-on's parent feeds its child, and a merged duplicate feeds
//! the idea it was merged into. Credit follows the flow, so a person whose idea was merged into
//! K shares K's adoption, and so does the author of anything K (or D) built on. The family tree
//! is drawn in the same direction, sources at the top. [`may_link`] keeps the links free of
//! cycles read either way (as stored, child to parent, and as ideas flow), so the store's
//! recursive queries and the walks here always end and the tree always has layers.

use crate::spaces::word_enum;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

/// Ideas one idea builds on, at most.
pub const MAX_PARENTS: usize = 3;

word_enum!(
    /// How a child idea relates to its parent.
    LinkKind {
        BuildsOn => "builds_on" / "Builds on",
        Merged => "merged" / "Merged into",
    }
);

/// One stored link between two ideas: the child builds on, or was merged into, the parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Link {
    pub child: i64,
    pub parent: i64,
    pub kind: LinkKind,
}

impl Link {
    /// `child` builds on `parent`.
    pub fn builds_on(child: i64, parent: i64) -> Link {
        Link {
            child,
            parent,
            kind: LinkKind::BuildsOn,
        }
    }

    /// `duplicate` was merged into `kept`.
    pub fn merged(duplicate: i64, kept: i64) -> Link {
        Link {
            child: duplicate,
            parent: kept,
            kind: LinkKind::Merged,
        }
    }

    /// The idea that fed the other: the parent of a build-on, the duplicate of a merge.
    pub fn source(self) -> i64 {
        match self.kind {
            LinkKind::BuildsOn => self.parent,
            LinkKind::Merged => self.child,
        }
    }

    /// The idea that carries the source on: the child of a build-on, the kept idea of a merge.
    pub fn derived(self) -> i64 {
        match self.kind {
            LinkKind::BuildsOn => self.child,
            LinkKind::Merged => self.parent,
        }
    }

    /// A stable order for links, so results never depend on the order the store returned.
    fn key(self) -> (i64, i64, u8) {
        (self.child, self.parent, kind_rank(self.kind))
    }
}

fn kind_rank(kind: LinkKind) -> u8 {
    match kind {
        LinkKind::BuildsOn => 0,
        LinkKind::Merged => 1,
    }
}

/// Whether adding `new` would close a loop, reading the links either as stored (child to
/// parent) or as ideas flow (source to derived). An idea linked to itself is a loop.
pub fn would_cycle(links: &[Link], new: Link) -> bool {
    if new.child == new.parent {
        return true;
    }
    let stored = adjacency(links.iter().map(|l| (l.child, l.parent)));
    let flow = adjacency(links.iter().map(|l| (l.source(), l.derived())));
    reaches(&stored, new.parent, new.child) || reaches(&flow, new.derived(), new.source())
}

/// Whether `new` may join the existing `links`: no idea linked to itself or twice to the same
/// idea, at most [`MAX_PARENTS`] build-ons, one merge per duplicate, nothing built on or merged
/// into a merged idea (use the idea it was merged into), and no loop ([`would_cycle`]). The
/// statuses are checked apart (`status::may_build_on`, `status::may_merge_into`,
/// `status::may_move` to Merged).
pub fn may_link(links: &[Link], new: Link) -> Result<(), String> {
    let merge = new.kind == LinkKind::Merged;
    if new.child == new.parent {
        return Err(if merge {
            "An idea cannot be merged into itself.".into()
        } else {
            "An idea cannot build on itself.".into()
        });
    }
    if links.contains(&new) {
        return Err("These ideas are already linked.".into());
    }
    let merged = |idea: i64| {
        links
            .iter()
            .any(|l| l.child == idea && l.kind == LinkKind::Merged)
    };
    if merged(new.child) {
        return Err("This idea was merged already; it no longer changes.".into());
    }
    if merged(new.parent) {
        return Err(if merge {
            "That idea was merged itself: merge into the idea it was merged into.".into()
        } else {
            "That idea was merged: build on the idea it was merged into.".into()
        });
    }
    if !merge {
        let parents = links
            .iter()
            .filter(|l| l.child == new.child && l.kind == LinkKind::BuildsOn)
            .count();
        if parents >= MAX_PARENTS {
            return Err(format!("An idea builds on at most {MAX_PARENTS} others."));
        }
    }
    if would_cycle(links, new) {
        return Err(
            "That would go round in a circle: one of these ideas already comes from the other."
                .into(),
        );
    }
    Ok(())
}

/// An idea with everything it comes from and everything that comes from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Family {
    pub idea: i64,
    /// Ideas it comes from, transitively: ideas it builds on, ideas merged into it, and theirs.
    pub ancestors: BTreeSet<i64>,
    /// Ideas that come from it, transitively.
    pub descendants: BTreeSet<i64>,
    /// Members that come from no other member: where the lines start (the idea itself when it
    /// comes from nothing). The top row of the tree.
    pub roots: Vec<i64>,
    /// The links between members, in a stable order.
    pub links: Vec<Link>,
}

impl Family {
    /// Every idea of the family, the idea itself included.
    pub fn members(&self) -> BTreeSet<i64> {
        let mut members: BTreeSet<i64> = self.ancestors.union(&self.descendants).copied().collect();
        members.insert(self.idea);
        members
    }
}

/// The family of `idea` among `links` (which may hold other families too).
pub fn family(links: &[Link], idea: i64) -> Family {
    let graph = Graph::new(links);
    let mut ancestors: BTreeSet<i64> = graph.walk(idea, Direction::Up).into_keys().collect();
    let mut descendants: BTreeSet<i64> = graph.walk(idea, Direction::Down).into_keys().collect();
    ancestors.remove(&idea);
    descendants.remove(&idea);
    let mut members = ancestors.clone();
    members.extend(&descendants);
    members.insert(idea);
    let family_links: Vec<Link> = graph
        .links
        .iter()
        .copied()
        .filter(|l| members.contains(&l.child) && members.contains(&l.parent))
        .collect();
    let fed: HashSet<i64> = family_links.iter().map(|l| l.derived()).collect();
    let roots = members
        .iter()
        .copied()
        .filter(|m| !fed.contains(m))
        .collect();
    Family {
        idea,
        ancestors,
        descendants,
        roots,
        links: family_links,
    }
}

/// How a contributor's idea reached the adopted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    /// It is the adopted idea.
    Adopted,
    /// The adopted idea builds on it, directly or through other ideas.
    BuiltOn,
    /// It was merged into the adopted idea or into an idea that led to it.
    Merged,
}

/// A person credited when an idea is adopted (or implemented), and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contributor {
    pub person: i64,
    /// The idea that earns them the credit: the closest to the adopted one that they wrote or
    /// helped write.
    pub idea: i64,
    /// Links from `idea` to the adopted idea: 0 for the adopted idea itself.
    pub distance: u32,
    pub via: Via,
    /// They wrote `idea`; `false` for a co-contributor.
    pub author: bool,
    /// `idea` comes from no other idea: it is where the line started.
    pub original: bool,
}

impl Contributor {
    /// A few words for the credit line, such as "Original idea".
    pub fn wording(&self) -> &'static str {
        match (self.via, self.author, self.original) {
            (Via::Adopted, true, _) => "Wrote the idea",
            (Via::Adopted, false, _) => "Contributed to the idea",
            (Via::Merged, true, _) => "Had the same idea (merged into it)",
            (Via::Merged, false, _) => "Contributed to an idea merged into it",
            (Via::BuiltOn, true, true) => "Original idea",
            (Via::BuiltOn, false, true) => "Contributed to the original idea",
            (Via::BuiltOn, true, false) => "Wrote an idea it builds on",
            (Via::BuiltOn, false, false) => "Contributed to an idea it builds on",
        }
    }
}

/// The people credited when `adopted` is adopted or implemented: its author, its
/// co-contributors, and the authors and co-contributors of every idea it comes from
/// (transitively, merges included), each person once, at their closest idea. `authors` maps an
/// idea to its author; `co_contributors` may be empty. Ideas missing from `authors` (a removed
/// account) credit only their co-contributors. Ordered by distance, then idea, authors first.
pub fn contributors(
    links: &[Link],
    adopted: i64,
    authors: &HashMap<i64, i64>,
    co_contributors: &HashMap<i64, Vec<i64>>,
) -> Vec<Contributor> {
    let graph = Graph::new(links);
    let mut ideas: Vec<(i64, Step)> = graph.walk(adopted, Direction::Up).into_iter().collect();
    ideas.sort_by_key(|(idea, step)| (step.distance, *idea));
    let mut credited: BTreeSet<i64> = BTreeSet::new();
    let mut found = Vec::new();
    for (idea, step) in ideas {
        let via = match step.via {
            None => Via::Adopted,
            Some(LinkKind::BuildsOn) => Via::BuiltOn,
            Some(LinkKind::Merged) => Via::Merged,
        };
        let original = graph.sources(idea).is_empty();
        let mut co: Vec<i64> = co_contributors.get(&idea).cloned().unwrap_or_default();
        co.sort_unstable();
        let people = authors
            .get(&idea)
            .map(|&author| (author, true))
            .into_iter()
            .chain(co.into_iter().map(|person| (person, false)));
        for (person, author) in people {
            if credited.insert(person) {
                found.push(Contributor {
                    person,
                    idea,
                    distance: step.distance,
                    via,
                    author,
                    original,
                });
            }
        }
    }
    found
}

/// How far an idea is from where a walk started, and the kind of link it was reached by
/// (`None` for the start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Step {
    distance: u32,
    via: Option<LinkKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Towards the ideas it comes from.
    Up,
    /// Towards the ideas that come from it.
    Down,
}

/// The links, deduplicated and in a stable order, with both directions of flow indexed.
struct Graph {
    links: Vec<Link>,
    /// For each idea, the ideas feeding it and how, sorted.
    up: HashMap<i64, Vec<(i64, LinkKind)>>,
    /// For each idea, the ideas it feeds and how, sorted.
    down: HashMap<i64, Vec<(i64, LinkKind)>>,
}

impl Graph {
    fn new(links: &[Link]) -> Graph {
        let mut links = links.to_vec();
        links.sort_by_key(|l| l.key());
        links.dedup();
        let mut up: HashMap<i64, Vec<(i64, LinkKind)>> = HashMap::new();
        let mut down: HashMap<i64, Vec<(i64, LinkKind)>> = HashMap::new();
        for link in &links {
            up.entry(link.derived())
                .or_default()
                .push((link.source(), link.kind));
            down.entry(link.source())
                .or_default()
                .push((link.derived(), link.kind));
        }
        for list in up.values_mut().chain(down.values_mut()) {
            list.sort_by_key(|&(idea, kind)| (idea, kind_rank(kind)));
        }
        Graph { links, up, down }
    }

    fn sources(&self, idea: i64) -> &[(i64, LinkKind)] {
        self.up.get(&idea).map_or(&[], Vec::as_slice)
    }

    /// Breadth first from `start`: every idea reached, at its shortest distance. Ends on any
    /// input, loops included.
    fn walk(&self, start: i64, direction: Direction) -> BTreeMap<i64, Step> {
        let next = match direction {
            Direction::Up => &self.up,
            Direction::Down => &self.down,
        };
        let mut seen = BTreeMap::from([(
            start,
            Step {
                distance: 0,
                via: None,
            },
        )]);
        let mut queue = VecDeque::from([(start, 0u32)]);
        while let Some((idea, distance)) = queue.pop_front() {
            for &(other, kind) in next.get(&idea).map_or(&[][..], Vec::as_slice) {
                if let std::collections::btree_map::Entry::Vacant(entry) = seen.entry(other) {
                    entry.insert(Step {
                        distance: distance + 1,
                        via: Some(kind),
                    });
                    queue.push_back((other, distance + 1));
                }
            }
        }
        seen
    }
}

fn adjacency(pairs: impl Iterator<Item = (i64, i64)>) -> HashMap<i64, Vec<i64>> {
    let mut next: HashMap<i64, Vec<i64>> = HashMap::new();
    for (from, to) in pairs {
        next.entry(from).or_default().push(to);
    }
    next
}

/// Whether a path leads from `from` to `to` (a path of length zero counts).
fn reaches(next: &HashMap<i64, Vec<i64>>, from: i64, to: i64) -> bool {
    let mut seen = HashSet::from([from]);
    let mut stack = vec![from];
    while let Some(idea) = stack.pop() {
        if idea == to {
            return true;
        }
        for &other in next.get(&idea).map_or(&[][..], Vec::as_slice) {
            if seen.insert(other) {
                stack.push(other);
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::algo::{has_path_connecting, is_cyclic_directed};
    use petgraph::graph::{DiGraph, NodeIndex};
    use proptest::prelude::*;

    /// 1 ← 2 ← 4, 1 ← 3 ← 4 (4 builds on 2 and 3, both on 1); 5 merged into 4; 5 built on 6;
    /// 7 builds on 4; 8 is elsewhere.
    fn sample() -> Vec<Link> {
        vec![
            Link::builds_on(2, 1),
            Link::builds_on(3, 1),
            Link::builds_on(4, 2),
            Link::builds_on(4, 3),
            Link::merged(5, 4),
            Link::builds_on(5, 6),
            Link::builds_on(7, 4),
            Link::builds_on(9, 8),
        ]
    }

    #[test]
    fn links_flow_from_source_to_derived() {
        assert_eq!(Link::builds_on(2, 1).source(), 1);
        assert_eq!(Link::builds_on(2, 1).derived(), 2);
        assert_eq!(Link::merged(5, 4).source(), 5);
        assert_eq!(Link::merged(5, 4).derived(), 4);
        assert_eq!(LinkKind::parse("merged"), Some(LinkKind::Merged));
    }

    #[test]
    fn loops_are_refused_either_way() {
        let links = sample();
        assert!(would_cycle(&links, Link::builds_on(1, 4)));
        assert!(would_cycle(&links, Link::builds_on(3, 3)));
        assert!(!would_cycle(&links, Link::builds_on(8, 4)));
        // 7 builds on 4: merging 7 into 4 would make 4 feed 7 and 7 feed 4.
        assert!(would_cycle(&links, Link::merged(7, 4)));
        // 4 builds on 2: merging 2 into 4 is a loop as stored (4 → 2 → 4).
        assert!(would_cycle(&links, Link::merged(2, 4)));
        assert!(may_link(&links, Link::merged(7, 4)).is_err());
    }

    #[test]
    fn link_rules_explain_themselves() {
        let links = sample();
        let refusal = |link| may_link(&links, link).unwrap_err();
        assert_eq!(
            refusal(Link::builds_on(2, 2)),
            "An idea cannot build on itself."
        );
        assert_eq!(
            refusal(Link::merged(2, 2)),
            "An idea cannot be merged into itself."
        );
        assert_eq!(
            refusal(Link::builds_on(4, 2)),
            "These ideas are already linked."
        );
        assert!(refusal(Link::builds_on(10, 5)).contains("build on the idea it was merged into"));
        assert!(refusal(Link::merged(10, 5)).contains("merge into the idea it was merged into"));
        assert!(refusal(Link::merged(5, 7)).contains("merged already"));
        assert!(refusal(Link::builds_on(5, 8)).contains("merged already"));
        assert!(refusal(Link::builds_on(1, 7)).contains("circle"));
        assert!(may_link(&links, Link::builds_on(4, 8)).is_ok());
        let mut full = links.clone();
        full.push(Link::builds_on(4, 8));
        assert_eq!(
            may_link(&full, Link::builds_on(4, 9)).unwrap_err(),
            "An idea builds on at most 3 others."
        );
        // A merge is not a build-on: a duplicate with three parents can still be merged.
        assert!(may_link(&full, Link::merged(4, 9)).is_ok());
    }

    #[test]
    fn a_family_is_everything_upstream_and_downstream() {
        let family = family(&sample(), 4);
        assert_eq!(family.ancestors, BTreeSet::from([1, 2, 3, 5, 6]));
        assert_eq!(family.descendants, BTreeSet::from([7]));
        assert_eq!(family.roots, [1, 6]);
        assert_eq!(family.members().len(), 7);
        assert_eq!(family.links.len(), 7);
        assert!(!family.links.contains(&Link::builds_on(9, 8)));

        let alone = super::family(&sample(), 42);
        assert_eq!(alone.roots, [42]);
        assert!(alone.links.is_empty());
        assert_eq!(alone.members(), BTreeSet::from([42]));
    }

    #[test]
    fn adoption_credits_the_whole_line_once_each() {
        // Idea n was written by person 100 + n, except 6 (by 102, who also wrote 2) and 3
        // (whose author left). 7 is downstream: not credited.
        let authors = HashMap::from([(1, 101), (2, 102), (4, 104), (5, 105), (6, 102), (7, 107)]);
        let co = HashMap::from([(4, vec![105, 110]), (3, vec![103])]);
        let credited = contributors(&sample(), 4, &authors, &co);
        let line: Vec<(i64, i64, u32, Via, bool)> = credited
            .iter()
            .map(|c| (c.person, c.idea, c.distance, c.via, c.author))
            .collect();
        assert_eq!(
            line,
            [
                (104, 4, 0, Via::Adopted, true),
                (105, 4, 0, Via::Adopted, false),
                (110, 4, 0, Via::Adopted, false),
                (102, 2, 1, Via::BuiltOn, true),
                (103, 3, 1, Via::BuiltOn, false),
                (101, 1, 2, Via::BuiltOn, true),
            ]
        );
        assert_eq!(credited[0].wording(), "Wrote the idea");
        assert_eq!(credited[3].wording(), "Wrote an idea it builds on");
        assert_eq!(credited[5].wording(), "Original idea");

        let without_co = contributors(&sample(), 4, &authors, &HashMap::new());
        let merged = without_co.iter().find(|c| c.person == 105).unwrap();
        assert_eq!((merged.idea, merged.via), (5, Via::Merged));
        assert_eq!(merged.wording(), "Had the same idea (merged into it)");
        assert!(without_co.iter().all(|c| c.person != 107));

        let lonely = contributors(&[], 1, &authors, &HashMap::new());
        assert_eq!(lonely.len(), 1);
        assert!(lonely[0].original);
    }

    /// Random links among a dozen ideas, each kept only if [`may_link`] allows it.
    fn guarded_links() -> impl Strategy<Value = Vec<Link>> {
        prop::collection::vec((0i64..12, 0i64..12, any::<bool>()), 0..60).prop_map(|tries| {
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

    /// Ideas 0..12 as petgraph nodes of the same index, for an independent check.
    fn node(idea: i64) -> NodeIndex {
        NodeIndex::new(usize::try_from(idea).unwrap())
    }

    fn graph_of(pairs: impl Iterator<Item = (i64, i64)>) -> DiGraph<(), ()> {
        let mut graph = DiGraph::new();
        for _ in 0..12 {
            graph.add_node(());
        }
        for (from, to) in pairs {
            graph.add_edge(node(from), node(to), ());
        }
        graph
    }

    fn flow_graph(links: &[Link]) -> DiGraph<(), ()> {
        graph_of(links.iter().map(|l| (l.source(), l.derived())))
    }

    proptest! {
        #[test]
        fn guarded_inserts_never_make_a_loop(links in guarded_links()) {
            prop_assert!(!is_cyclic_directed(&flow_graph(&links)));
            let stored = graph_of(links.iter().map(|l| (l.child, l.parent)));
            prop_assert!(!is_cyclic_directed(&stored));
            for idea in 0..12 {
                let parents = links
                    .iter()
                    .filter(|l| l.child == idea && l.kind == LinkKind::BuildsOn)
                    .count();
                prop_assert!(parents <= MAX_PARENTS);
                let merges = links
                    .iter()
                    .filter(|l| l.child == idea && l.kind == LinkKind::Merged)
                    .count();
                prop_assert!(merges <= 1);
            }
        }

        #[test]
        fn would_cycle_alone_guards_against_loops(
            tries in prop::collection::vec((0i64..10, 0i64..10, any::<bool>()), 0..60)
        ) {
            let mut links = Vec::new();
            for (child, parent, merge) in tries {
                let link = if merge { Link::merged(child, parent) } else { Link::builds_on(child, parent) };
                if !would_cycle(&links, link) {
                    links.push(link);
                }
            }
            prop_assert!(!is_cyclic_directed(&flow_graph(&links)));
        }

        #[test]
        fn families_agree_with_paths(links in guarded_links(), idea in 0i64..12) {
            let graph = flow_graph(&links);
            let family = family(&links, idea);
            for other in 0..12 {
                if other == idea {
                    continue;
                }
                prop_assert_eq!(
                    family.ancestors.contains(&other),
                    has_path_connecting(&graph, node(other), node(idea), None)
                );
                prop_assert_eq!(
                    family.descendants.contains(&other),
                    has_path_connecting(&graph, node(idea), node(other), None)
                );
                // Symmetry: other is above idea exactly when idea is below other.
                prop_assert_eq!(
                    family.ancestors.contains(&other),
                    super::family(&links, other).descendants.contains(&idea)
                );
            }
            prop_assert!(!family.roots.is_empty());
            for root in &family.roots {
                prop_assert!(*root == idea || family.ancestors.contains(root));
            }
        }

        #[test]
        fn credit_goes_up_the_line_to_everyone_once(
            links in guarded_links(),
            adopted in 0i64..12,
            people in prop::collection::vec(0i64..8, 12),
            co in prop::collection::vec(prop::collection::vec(0i64..8, 0..3), 12),
        ) {
            let authors: HashMap<i64, i64> = (0..12).zip(people.iter().copied()).collect();
            let co: HashMap<i64, Vec<i64>> = (0..12).zip(co.iter().cloned()).collect();
            let credited = contributors(&links, adopted, &authors, &co);
            let family = family(&links, adopted);

            // The adopted idea's author is always credited, first and for the idea itself.
            prop_assert_eq!(credited[0].person, authors[&adopted]);
            prop_assert_eq!((credited[0].idea, credited[0].distance), (adopted, 0));
            prop_assert!(credited[0].author);

            let mut seen = BTreeSet::new();
            for c in &credited {
                prop_assert!(seen.insert(c.person), "credited twice: {}", c.person);
                prop_assert!(c.idea == adopted || family.ancestors.contains(&c.idea));
                prop_assert_eq!(c.distance == 0, c.via == Via::Adopted);
                let wrote = authors.get(&c.idea) == Some(&c.person);
                let listed = if c.author { wrote } else { co[&c.idea].contains(&c.person) };
                prop_assert!(listed);
            }
            // Everyone behind an idea in the line is credited.
            for idea in family.ancestors.iter().chain([&adopted]) {
                prop_assert!(seen.contains(&authors[idea]));
                for person in &co[idea] {
                    prop_assert!(seen.contains(person));
                }
            }
            // The order the store returns links in changes nothing.
            let mut shuffled = links.clone();
            shuffled.reverse();
            prop_assert_eq!(&credited, &contributors(&shuffled, adopted, &authors, &co));
        }
    }
}
