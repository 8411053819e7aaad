fn rss() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
        .collect::<Vec<_>>()
        .join("/")
}
fn main() {
    let path = std::env::args().nth(1).unwrap();
    eprintln!("start {}", rss());
    let corpus = topica::corpus::Corpus::read(&[path], &Default::default()).unwrap();
    eprintln!("read {}", rss());
    let texts = corpus.texts();
    let (m, x) = topica::vectorize::TfidfVectorizer::params()
        .fit_transform(&texts)
        .unwrap();
    eprintln!("fit_transform {} nnz {}", rss(), x.nnz());
    drop(texts);
    drop(corpus);
    eprintln!("dropped corpus {}", rss());
    drop((m, x));
}
