fn main() {
    let s = topica::analyze::Stemmer::new(topica::analyze::Language::English);
    let w = std::fs::read_to_string("/tmp/words.txt").unwrap();
    let p = std::fs::read_to_string("/tmp/stems_py.txt").unwrap();
    let mut diff = 0;
    for (a, b) in w.lines().zip(p.lines()) {
        let r = s.stem(a);
        if r != b {
            diff += 1;
            if diff < 15 {
                println!("{a}: rust {r} py {b}");
            }
        }
    }
    println!("diff {diff}");
}
