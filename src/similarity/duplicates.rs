//! Near-duplicate groups: connected components (union-find) of the pairs
//! scoring at least a threshold.

use serde::Serialize;

/// A group of near-duplicate documents: a connected component of the graph
/// whose edges are the pairs scoring at least the threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateGroup {
    /// The rows in the group, ascending.
    pub members: Vec<usize>,
    /// The pairs `(i, j, score)` with `i < j` that joined it, by `i` then `j`.
    pub pairs: Vec<(usize, usize, f64)>,
}

/// Union-find with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

/// Groups `pairs` (`i < j`, sorted by `i` then `j`) of a graph on `n` rows
/// into connected components, ordered by their first member.
pub(crate) fn group(n: usize, pairs: Vec<(usize, usize, f64)>) -> Vec<DuplicateGroup> {
    let mut uf = UnionFind::new(n);
    for &(i, j, _) in &pairs {
        uf.union(i, j);
    }
    // Component root -> group position, groups numbered by smallest member.
    let mut slot = vec![usize::MAX; n];
    let mut groups: Vec<DuplicateGroup> = Vec::new();
    let mut in_pair = vec![false; n];
    for &(i, j, _) in &pairs {
        in_pair[i] = true;
        in_pair[j] = true;
    }
    for row in (0..n).filter(|&r| in_pair[r]) {
        let root = uf.find(row);
        if slot[root] == usize::MAX {
            slot[root] = groups.len();
            groups.push(DuplicateGroup {
                members: Vec::new(),
                pairs: Vec::new(),
            });
        }
        groups[slot[root]].members.push(row);
    }
    for pair in pairs {
        let root = uf.find(pair.0);
        groups[slot[root]].pairs.push(pair);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components() {
        let groups = group(6, vec![(0, 4, 0.9), (1, 2, 0.8), (2, 5, 0.85)]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].members, vec![0, 4]);
        assert_eq!(groups[1].members, vec![1, 2, 5]);
        assert_eq!(groups[1].pairs, vec![(1, 2, 0.8), (2, 5, 0.85)]);
        assert!(group(3, vec![]).is_empty());
    }
}
