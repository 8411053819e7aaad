//! Close ids for a message about an unknown one: edit distance first, a
//! shared prefix as the tie-breaker.

/// Up to `max` ids closest to `wanted`, closest first (by Levenshtein
/// distance over characters, then longest shared prefix, then position).
/// Ids further than half the longer length away are not suggested.
pub(crate) fn close_ids<'a>(wanted: &str, ids: &'a [String], max: usize) -> Vec<&'a str> {
    let w: Vec<char> = wanted.chars().collect();
    let mut scored: Vec<(usize, usize, usize)> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let c: Vec<char> = id.chars().collect();
            let d = levenshtein(&w, &c);
            let limit = w.len().max(c.len()).div_ceil(2);
            let prefix = w.iter().zip(&c).take_while(|(a, b)| a == b).count();
            (d <= limit).then_some((d, usize::MAX - prefix, i))
        })
        .collect();
    scored.sort_unstable();
    scored.dedup_by_key(|s| ids[s.2].as_str());
    scored.iter().take(max).map(|s| ids[s.2].as_str()).collect()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_ids() {
        let ids: Vec<String> = ["a.txt#0", "a.txt#1", "a.txt#12", "b.txt#0", "zzzzzzzzzz"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            close_ids("a.txt#2", &ids, 3),
            vec!["a.txt#0", "a.txt#1", "a.txt#12"]
        );
        assert_eq!(close_ids("b.txt#0x", &ids, 1), vec!["b.txt#0"]);
        assert!(close_ids("qqq", &ids, 3).is_empty());
    }
}
