//! The structure tree of a tagged PDF, written as PDF objects by guide
//! itself rather than by krilla.
//!
//! krilla marks the content (each stretch of an element gets its marked
//! content id, MCID, numbered per page in the order drawn) and gives every
//! page with marked content and every link annotation its key in the
//! parent tree (`/StructParents`, `/StructParent`). Its own structure tree
//! was, for a 1,000-matter booklet of 150,000 elements, a third of a
//! second on one thread after the last page: building its tree, writing
//! each element and renumbering them all. Here the elements are plain
//! objects written straight into the packed file ([`super::pdf`]'s
//! `pack`), numbered after krilla's own objects.
//!
//! The tree follows the layout's elements ([`Tag`]): an element is placed
//! where its first stretch is met, so the tree's order is the reading
//! order; the top-level elements go in the order of their pages in the
//! document (pages may be written out of order). An element with nothing
//! in it is left out.

use crate::layout::{Role, Tag};
use anyhow::{Result, anyhow};
use std::collections::HashMap;
use std::io::Write as _;

/// What an element of the structure becomes.
#[derive(Clone, Debug)]
enum Kind {
    Role(Role),
    Link,
}

#[derive(Clone, Copy, Debug)]
enum Child {
    Node(usize),
    /// Marked content: the page (in the order written) and its MCID.
    Marked(u32, u32),
    /// A link annotation: the page (in the order written) and its place
    /// among the page's annotations.
    Annot(u32, u32),
}

/// What krilla gave a page: its parent-tree key (when it has marked
/// content) and each annotation's.
#[derive(Default)]
struct Keys {
    mcids: u32,
    key: Option<u32>,
    annots: Vec<u32>,
}

/// The structure tree as the pages reveal it.
#[derive(Default)]
pub(super) struct Tree {
    nodes: Vec<(Kind, Vec<Child>)>,
    /// The top-level elements, each with the place in the document of
    /// the page where it was first met.
    roots: Vec<(usize, usize)>,
    by_id: HashMap<u64, usize>,
    /// The place in the document of the page being written.
    place: usize,
    /// Each page written, in that order.
    pages: Vec<Keys>,
    /// The next parent-tree key krilla gives out.
    next_key: u32,
}

/// A page of the file as krilla wrote it: its object number, its
/// parent-tree key and its annotations' object numbers.
pub(super) struct PageObject {
    pub num: u32,
    pub key: Option<u32>,
    pub annots: Vec<u32>,
}

impl Tree {
    fn add(&mut self, kind: Kind, parent: Option<usize>) -> usize {
        let n = self.nodes.len();
        self.nodes.push((kind, Vec::new()));
        match parent {
            Some(p) => self.nodes[p].1.push(Child::Node(n)),
            None => self.roots.push((self.place, n)),
        }
        n
    }

    /// A link element inside `parent`, or at the top level.
    pub(super) fn link(&mut self, parent: Option<usize>) -> usize {
        self.add(Kind::Link, parent)
    }

    /// The node of the tag's innermost element (made, with its ancestors,
    /// on first sight).
    pub(super) fn resolve(&mut self, tag: &Tag) -> Option<usize> {
        let mut parent = None;
        for e in tag.0.iter() {
            let n = match self.by_id.get(&e.id) {
                Some(&n) => n,
                None => {
                    let n = self.add(Kind::Role(e.role.clone()), parent);
                    self.by_id.insert(e.id, n);
                    n
                }
            };
            parent = Some(n);
        }
        parent
    }

    /// A page is begun, at `place` in the document.
    pub(super) fn begin_page(&mut self, place: usize) {
        self.place = place;
        self.pages.push(Keys::default());
    }

    fn page(&self) -> u32 {
        u32::try_from(self.pages.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// A stretch of `node`'s content is begun on the page (krilla gives it
    /// the page's next MCID).
    pub(super) fn marked(&mut self, node: usize) {
        let page = self.page();
        let Some(keys) = self.pages.last_mut() else {
            return;
        };
        self.nodes[node].1.push(Child::Marked(page, keys.mcids));
        keys.mcids += 1;
    }

    /// A tagged link annotation of `node` is added to the page (krilla
    /// gives it the next parent-tree key).
    pub(super) fn annotation(&mut self, node: usize) {
        let page = self.page();
        let Some(keys) = self.pages.last_mut() else {
            return;
        };
        let index = u32::try_from(keys.annots.len()).unwrap_or(u32::MAX);
        keys.annots.push(self.next_key);
        self.next_key += 1;
        self.nodes[node].1.push(Child::Annot(page, index));
    }

    /// The page is finished (krilla gives it the next parent-tree key if
    /// anything on it is marked).
    pub(super) fn end_page(&mut self) {
        if let Some(keys) = self.pages.last_mut()
            && keys.mcids > 0
        {
            keys.key = Some(self.next_key);
            self.next_key += 1;
        }
    }

    /// The structure tree as objects numbered from `first` (the
    /// StructTreeRoot), given the pages as krilla wrote them, in the order
    /// written. Errs when the pages do not carry the keys krilla was
    /// expected to give them: a tree that does not match its pages is
    /// never written.
    pub(super) fn objects(&self, first: u32, pages: &[PageObject]) -> Result<Vec<(u32, Vec<u8>)>> {
        let mismatch = || anyhow!("PDF 结构树与页面不符");
        if pages.len() != self.pages.len() {
            return Err(mismatch());
        }
        for (p, k) in pages.iter().zip(&self.pages) {
            if p.key != k.key || p.annots.len() != k.annots.len() {
                return Err(mismatch());
            }
        }
        // An element is kept when something is in it. A child is always
        // added after its parent, so children are decided first.
        let mut kept = vec![false; self.nodes.len()];
        for n in (0..self.nodes.len()).rev() {
            kept[n] = self.nodes[n].1.iter().any(|c| match c {
                Child::Node(k) => kept[*k],
                Child::Marked(..) | Child::Annot(..) => true,
            });
        }
        let mut roots = self.roots.clone();
        roots.sort_by_key(|&(place, _)| place);
        let (root, document) = (first, first + 1);
        // Numbered in reading order (depth first), each with its parent.
        let mut num = vec![0u32; self.nodes.len()];
        let mut order: Vec<(usize, u32)> = Vec::new();
        let mut next = document + 1;
        let mut stack: Vec<(usize, u32)> = roots
            .iter()
            .rev()
            .filter(|r| kept[r.1])
            .map(|r| (r.1, document))
            .collect();
        while let Some((n, parent)) = stack.pop() {
            num[n] = next;
            next += 1;
            order.push((n, parent));
            stack.extend(self.nodes[n].1.iter().rev().filter_map(|c| match c {
                Child::Node(k) if kept[*k] => Some((*k, num[n])),
                _ => None,
            }));
        }
        // The parent tree: each page's MCIDs, each annotation, to its element.
        let mut marks: Vec<Vec<u32>> = self
            .pages
            .iter()
            .map(|k| vec![0; k.mcids as usize])
            .collect();
        let mut annots: HashMap<u32, u32> = HashMap::new();
        for &(n, _) in &order {
            for c in &self.nodes[n].1 {
                match *c {
                    Child::Marked(page, mcid) => {
                        marks[page as usize][mcid as usize] = num[n];
                    }
                    Child::Annot(page, i) => {
                        annots.insert(self.pages[page as usize].annots[i as usize], num[n]);
                    }
                    Child::Node(_) => {}
                }
            }
        }
        let mut out: Vec<(u32, Vec<u8>)> = Vec::with_capacity(order.len() + pages.len() + 2);
        // The document element, then every element.
        let mut body = Vec::new();
        write!(
            body,
            "<</Type/StructElem/S/Document/P {root} 0 R/Lang({})/K[",
            super::pdf::LANG
        )?;
        for (i, r) in roots.iter().filter(|r| kept[r.1]).enumerate() {
            if i > 0 {
                body.push(b' ');
            }
            write!(body, "{} 0 R", num[r.1])?;
        }
        body.extend_from_slice(b"]>>");
        out.push((document, body));
        for &(n, parent) in &order {
            out.push((num[n], self.element(n, parent, &num, &kept, pages)?));
        }
        // Each page's marked content, to its elements.
        let mut nums: Vec<(u32, u32)> = Vec::new();
        for (k, keys) in self.pages.iter().enumerate() {
            let Some(key) = keys.key else { continue };
            if marks[k].contains(&0) {
                return Err(mismatch());
            }
            let mut body = Vec::with_capacity(marks[k].len() * 9 + 2);
            body.push(b'[');
            for (i, m) in marks[k].iter().enumerate() {
                if i > 0 {
                    body.push(b' ');
                }
                write!(body, "{m} 0 R")?;
            }
            body.push(b']');
            nums.push((key, next));
            out.push((next, body));
            next += 1;
        }
        let mut tree: Vec<(u32, u32)> = nums;
        tree.extend(annots);
        tree.sort_unstable();
        let mut body = Vec::new();
        write!(
            body,
            "<</Type/StructTreeRoot/K {document} 0 R/ParentTree<</Nums["
        )?;
        for (i, (key, value)) in tree.iter().enumerate() {
            if i > 0 {
                body.push(b' ');
            }
            write!(body, "{key} {value} 0 R")?;
        }
        write!(body, "]>>/ParentTreeNextKey {}>>", self.next_key)?;
        out.push((root, body));
        Ok(out)
    }

    /// The object of element `n`.
    fn element(
        &self,
        n: usize,
        parent: u32,
        num: &[u32],
        kept: &[bool],
        pages: &[PageObject],
    ) -> Result<Vec<u8>> {
        let (kind, children) = &self.nodes[n];
        let mut b = Vec::with_capacity(80);
        b.extend_from_slice(b"<</Type/StructElem/S/");
        match kind {
            Kind::Link => b.extend_from_slice(b"Link"),
            Kind::Role(r) => match r {
                Role::Heading(l) => write!(b, "H{}", (*l).clamp(1, 6))?,
                Role::Paragraph => b.extend_from_slice(b"P"),
                Role::List => b.extend_from_slice(b"L/A<</O/List/ListNumbering/None>>"),
                Role::ListItem => b.extend_from_slice(b"LI"),
                Role::Label => b.extend_from_slice(b"Lbl"),
                Role::ListBody => b.extend_from_slice(b"LBody"),
                Role::Table => b.extend_from_slice(b"Table"),
                Role::Row => b.extend_from_slice(b"TR"),
                Role::HeaderCell => b.extend_from_slice(b"TH/A<</O/Table/Scope/Column>>"),
                Role::Cell => b.extend_from_slice(b"TD"),
                Role::Figure(alt) => {
                    b.extend_from_slice(b"Figure/Alt<FEFF");
                    for u in alt.encode_utf16() {
                        write!(b, "{u:04X}")?;
                    }
                    b.push(b'>');
                }
            },
        }
        write!(b, "/P {parent} 0 R")?;
        // The page of its first marked content: MCIDs on it stand alone.
        let page = children.iter().find_map(|c| match c {
            Child::Marked(p, _) => Some(*p),
            _ => None,
        });
        let obj = |p: u32| pages[p as usize].num;
        if let Some(p) = page {
            write!(b, "/Pg {} 0 R", obj(p))?;
        }
        b.extend_from_slice(b"/K[");
        let mut first = true;
        for c in children {
            if matches!(c, Child::Node(k) if !kept[*k]) {
                continue;
            }
            if !first {
                b.push(b' ');
            }
            first = false;
            match *c {
                Child::Node(k) => write!(b, "{} 0 R", num[k])?,
                Child::Marked(p, mcid) if Some(p) == page => write!(b, "{mcid}")?,
                Child::Marked(p, mcid) => {
                    write!(b, "<</Type/MCR/Pg {} 0 R/MCID {mcid}>>", obj(p))?;
                }
                Child::Annot(p, i) => write!(
                    b,
                    "<</Type/OBJR/Obj {} 0 R/Pg {} 0 R>>",
                    pages[p as usize].annots[i as usize],
                    obj(p)
                )?,
            }
        }
        b.extend_from_slice(b"]>>");
        Ok(b)
    }
}
