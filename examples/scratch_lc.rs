use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let docs: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect();
    let nonascii = docs.iter().filter(|d| !d.is_ascii()).count();
    let nb: usize = docs.iter().filter(|d| !d.is_ascii()).map(|d| d.len()).sum();
    let mut buf = String::new();
    let t = Instant::now();
    let mut n = 0;
    for d in &docs {
        n += topica::analyze::lowercase_into(d, &mut buf).len();
    }
    let t1 = t.elapsed();
    let tok = topica::analyze::Tokenizer::default();
    let t = Instant::now();
    let mut k = 0;
    for d in &docs {
        tok.tokenize(d, |_| k += 1);
    }
    let t2 = t.elapsed();
    println!(
        "non-ascii docs {nonascii} ({nb} bytes); lowercase {t1:?} ({n}); tokenize only {t2:?} ({k})"
    );
}
