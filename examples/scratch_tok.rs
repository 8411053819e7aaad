use compact_str::CompactString;
use hashbrown::HashMap;
use std::time::Instant;
#[inline(always)]
fn key(text: &[u8], tok: &[u8]) -> Option<u128> {
    let len = tok.len();
    if len > 15 {
        return None;
    }
    let off = tok.as_ptr() as usize - text.as_ptr() as usize;
    let raw = match text.get(off..off + 16) {
        Some(b) => u128::from_le_bytes(b.try_into().unwrap()),
        None => {
            let mut buf = [0u8; 16];
            buf[..len].copy_from_slice(tok);
            u128::from_le_bytes(buf)
        }
    };
    let mask = (1u128 << (8 * len)) - 1;
    Some((raw & mask) | ((len as u128) << 120))
}
struct Table {
    keys: Vec<u128>,
    vals: Vec<u32>,
    len: usize,
    shift: u32,
}
impl Table {
    fn new() -> Self {
        Table {
            keys: vec![0; 1024],
            vals: vec![0; 1024],
            len: 0,
            shift: 64 - 10,
        }
    }
    #[inline(always)]
    fn slot(&self, k: u128) -> usize {
        let h = ((k as u64) ^ ((k >> 64) as u64).rotate_left(29)).wrapping_mul(0x9E3779B97F4A7C15);
        (h >> self.shift) as usize
    }
    #[inline(always)]
    fn get_or_insert(&mut self, k: u128) -> u32 {
        let mask = self.keys.len() - 1;
        let mut i = self.slot(k);
        loop {
            let cur = self.keys[i];
            if cur == k {
                return self.vals[i];
            }
            if cur == 0 {
                break;
            }
            i = (i + 1) & mask;
        }
        let id = self.len as u32;
        self.keys[i] = k;
        self.vals[i] = id;
        self.len += 1;
        if self.len * 2 > self.keys.len() {
            self.grow()
        }
        id
    }
    fn grow(&mut self) {
        let old_k = std::mem::take(&mut self.keys);
        let old_v = std::mem::take(&mut self.vals);
        let cap = old_k.len() * 2;
        self.keys = vec![0; cap];
        self.vals = vec![0; cap];
        self.shift -= 1;
        let mask = cap - 1;
        for (k, v) in old_k.into_iter().zip(old_v) {
            if k != 0 {
                let mut i = self.slot(k);
                while self.keys[i] != 0 {
                    i = (i + 1) & mask
                }
                self.keys[i] = k;
                self.vals[i] = v;
            }
        }
    }
}
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let docs: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect();
    let tok = topica::analyze::Tokenizer::default();
    let mut buf = String::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut n = 0usize;
        for d in &docs {
            let l = topica::analyze::lowercase_into(d, &mut buf);
            tok.tokenize(l, |_| n += 1);
        }
        let base = t.elapsed();
        {
            let t = Instant::now();
            let mut map = HashMap::<CompactString, u32>::default();
            let mut hits = 0u64;
            for d in docs.iter() {
                let l = topica::analyze::lowercase_into(d, &mut buf);
                tok.tokenize(l, |w| match map.get(w) {
                    Some(&v) => hits += v as u64,
                    None => {
                        let k = map.len() as u32;
                        map.insert(w.into(), k);
                    }
                });
            }
            println!(
                "compact: +{:.1} ns/tok",
                (t.elapsed() - base).as_nanos() as f64 / n as f64
            );
        }
        for which in 0..2 {
            let t = Instant::now();
            let mut short = HashMap::<u128, u32>::default();
            let mut long = HashMap::<CompactString, u32>::default();
            let mut hits = 0u64;
            let mut fx = HashMap::<u128, u32, rustc_hash::FxBuildHasher>::default();
            for d in docs.iter() {
                let l = topica::analyze::lowercase_into(d, &mut buf);
                let lb = l.as_bytes();
                tok.tokenize(l, |w| match key(lb, w.as_bytes()) {
                    Some(k) => {
                        let m = if which == 0 {
                            short.get(&k).copied()
                        } else {
                            fx.get(&k).copied()
                        };
                        match m {
                            Some(v) => hits += v as u64,
                            None => {
                                let id = (short.len() + fx.len() + long.len()) as u32;
                                if which == 0 {
                                    short.insert(k, id);
                                } else {
                                    fx.insert(k, id);
                                }
                            }
                        }
                    }
                    None => match long.get(w) {
                        Some(&v) => hits += v as u64,
                        None => {
                            let k = (short.len() + long.len()) as u32;
                            long.insert(w.into(), k);
                        }
                    },
                });
            }
            println!(
                "u128 {}: +{:.1} ns/tok (short {} long {}) {}",
                if which == 0 { "fold" } else { "fx" },
                (t.elapsed() - base).as_nanos() as f64 / n as f64,
                short.len() + fx.len(),
                long.len(),
                hits % 3
            );
        }
        {
            let t = Instant::now();
            let mut table = Table::new();
            let mut long = HashMap::<CompactString, u32>::default();
            let mut hits = 0u64;
            for d in docs.iter() {
                let l = topica::analyze::lowercase_into(d, &mut buf);
                let lb = l.as_bytes();
                tok.tokenize(l, |w| match key(lb, w.as_bytes()) {
                    Some(k) => hits += table.get_or_insert(k) as u64,
                    None => match long.get(w) {
                        Some(&v) => hits += v as u64,
                        None => {
                            let k = long.len() as u32;
                            long.insert(w.into(), k);
                        }
                    },
                });
            }
            println!(
                "custom: +{:.1} ns/tok ({} {}) {}",
                (t.elapsed() - base).as_nanos() as f64 / n as f64,
                table.len,
                long.len(),
                hits % 3
            );
        }
    }
}
