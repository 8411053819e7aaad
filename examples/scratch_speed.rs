use std::time::Instant;
use topica::vectorize::TfidfVectorizer;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let docs: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    println!("{} docs, {} bytes", docs.len(), bytes);
    let only = std::env::args().nth(2);
    for name in ["default", "stem", "issue"] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let p = match name {
            "default" => TfidfVectorizer::params(),
            "stem" => TfidfVectorizer::params().stem(Some(topica::analyze::Language::English)),
            _ => TfidfVectorizer::params()
                .stop_words(Some(topica::analyze::StopWordList::English))
                .sublinear_tf(true)
                .min_df(2u64)
                .max_df(0.5)
                .ngram_range(1, 2),
        };
        let mut times = vec![];
        for _ in 0..15 {
            let t = Instant::now();
            let (m, x) = p.fit_transform(&docs).unwrap();
            times.push(t.elapsed().as_secs_f64());
            if times.len() == 1 {
                println!(
                    "{name}: {:?} nnz {} terms {}",
                    x.shape(),
                    x.nnz(),
                    m.vocabulary().len()
                );
            }
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "{name}: min {:.1} ms median {:.1} ms",
            times[0] * 1e3,
            times[7] * 1e3
        );
        let _ = bytes;
    }
}
