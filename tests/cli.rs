//! End-to-end tests of the `topica` command line: the binary is run as a
//! user runs it, and what it prints, writes and exits with is checked.
//!
//! Errors are one line `topica: MESSAGE` on standard error, naming the file,
//! line or option at fault; the exit status is 1 for bad data and 2 for a
//! misuse of flags or parameters. Inputs other than `data/news` are written
//! to temporary directories at test time.

#[path = "cli/support.rs"]
mod support;

use std::fs;
use std::path::Path;

use support::{
    BBC, Mtx, NEWS, Summary, fixture_entries, generated_paragraphs, gzip, read_lines, run,
    run_stdin, sklearn_fixture, snapshot, write,
};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// What the system says when `path` is opened (`No such file or directory
/// (os error 2)` for a missing file on Linux).
fn os_error(path: &Path) -> String {
    fs::File::open(path)
        .expect_err("the path should not exist")
        .to_string()
}

/// `path` as a string argument.
fn arg(path: &Path) -> String {
    path.to_str().expect("UTF-8 temporary path").to_string()
}

// ---------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------

#[test]
fn missing_input_file_is_a_data_error_naming_it() {
    let dir = tmp();
    let missing = dir.path().join("nowhere.txt");
    let message = format!("{}: {}", missing.display(), os_error(&missing));

    let r = run(["vectorize", &arg(&missing)]);
    assert!(r.error(1).starts_with(&message), "{r:#?}");

    // Among good inputs too: the whole run fails, naming the missing one.
    let r = run(["vectorize", NEWS, &arg(&missing)]);
    assert!(r.error(1).starts_with(&message), "{r:#?}");
}

#[test]
fn directory_without_text_files_is_a_data_error() {
    let dir = tmp();
    let images = dir.path().join("images");
    write(&images, "logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    write(&images, ".hidden.txt", "hidden files are not read");
    let r = run(["vectorize", &arg(&images)]);
    assert_eq!(
        r.error(1),
        format!("{}: no text files in this directory", images.display())
    );

    // An empty directory too.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let r = run(["vectorize", &arg(&empty)]);
    assert_eq!(
        r.error(1),
        format!("{}: no text files in this directory", empty.display())
    );
}

#[test]
fn binary_file_beside_text_files_is_skipped_with_one_warning() {
    let dir = tmp();
    let d = dir.path().join("d");
    write(&d, "a.txt", "alpha beta\ngamma delta\n");
    let gif = write(&d, "b.gif", b"GIF89a\0\0\nsecond line");
    let r = run(["vectorize", &arg(&d)]);
    assert_eq!(r.summary_with_warnings().counts(), (2, 4, 4));
    assert_eq!(
        r.stderr,
        format!(
            "topica: warning: {}: skipped, as it looks binary (a NUL byte in its first 8 KiB)\n",
            gif.display()
        )
    );
}

#[test]
fn invalid_json_line_names_file_and_line() {
    let dir = tmp();
    let path = write(
        dir.path(),
        "bad.jsonl",
        "{\"text\": \"fine\"}\n\n{\"text\": oops}\n{\"text\": \"fine\"}\n",
    );
    let r = run(["vectorize", &arg(&path)]);
    let message = r.error(1);
    assert!(
        message.starts_with(&format!("{} line 3: invalid JSON: ", path.display())),
        "{r:#?}"
    );
    assert!(message.contains("column"), "{r:#?}");

    // A line that is JSON but not an object.
    let path = write(dir.path(), "array.jsonl", "{\"text\": \"a\"}\n[1, 2]\n");
    let r = run(["vectorize", &arg(&path)]);
    assert!(
        r.error(1)
            .starts_with(&format!("{} line 2: invalid JSON", path.display())),
        "{r:#?}"
    );
}

#[test]
fn jsonl_record_without_the_text_field_names_line_and_field() {
    let dir = tmp();
    // Blank lines still count for line numbers.
    let path = write(
        dir.path(),
        "records.jsonl",
        "{\"id\": 1, \"text\": \"one\"}\n\n{\"id\": 2, \"body\": \"two\", \"label\": \"x\"}\n",
    );
    let r = run(["vectorize", &arg(&path)]);
    assert_eq!(
        r.error(1),
        format!(
            "{} line 3: no field `text` (fields: id, body, label)",
            path.display()
        )
    );

    // With --text-field, the field named is the one asked for.
    let r = run(["vectorize", "--text-field", "body", &arg(&path)]);
    let message = r.error(1);
    assert!(
        message.starts_with(&format!("{} line 1: no field `body`", path.display())),
        "{r:#?}"
    );

    // A text field that is not a string.
    let path = write(dir.path(), "number.jsonl", "{\"text\": 12}\n");
    let r = run(["vectorize", &arg(&path)]);
    assert_eq!(
        r.error(1),
        format!(
            "{} line 1: field `text` is a number, not a string",
            path.display()
        )
    );
}

#[test]
fn csv_without_the_text_column_names_the_column() {
    let dir = tmp();
    let path = write(
        dir.path(),
        "posts.csv",
        "id,text\n1,hello world\n2,\"quoted, text\"\n",
    );
    let r = run(["vectorize", "--text-field", "body", &arg(&path)]);
    assert_eq!(
        r.error(1),
        format!(
            "{} line 1: no column `body` in the header (columns: id, text); choose one with \
             --text-field",
            path.display()
        )
    );

    // A record with the wrong number of fields names its line.
    let path = write(dir.path(), "ragged.csv", "id,text\n1,fine\n2,too,many\n");
    let r = run(["vectorize", &arg(&path)]);
    assert_eq!(
        r.error(1),
        format!(
            "{} line 3: record has 3 fields but the header has 2",
            path.display()
        )
    );
}

#[test]
fn non_utf8_text_warns_once_naming_the_first_bad_line_and_is_still_vectorized() {
    let dir = tmp();
    let path = write(
        dir.path(),
        "latin1.txt",
        b"good line one\nbad \xff line\nanother line\nbad \xe9t\xe9 again\n",
    );
    let r = run(["vectorize", &arg(&path)]);
    // Four paragraphs (one a line): good, line, one, bad, another, again
    // (`\u{fffd}t\u{fffd}` has no two-character word).
    assert_eq!(r.summary_with_warnings().counts(), (4, 6, 9));
    assert_eq!(
        r.stderr,
        format!(
            "topica: warning: {}: line 2 is not valid UTF-8; decoded lossily (use --strict to \
             refuse)\n",
            path.display()
        )
    );

    // The same in the other formats.
    let jsonl = write(
        dir.path(),
        "latin1.jsonl",
        b"{\"text\": \"fine\"}\n{\"text\": \"bad \xff\"}\n{\"text\": \"bad \xfe\"}\n",
    );
    let csv = write(
        dir.path(),
        "latin1.csv",
        b"text\nfine\n\"bad \xff\"\nbad \xfe\n",
    );
    for (path, line) in [(&jsonl, 2), (&csv, 3)] {
        let r = run(["vectorize", &arg(path)]);
        assert_eq!(r.summary_with_warnings().documents, 3);
        assert_eq!(
            r.stderr_lines(),
            [format!(
                "topica: warning: {}: line {line} is not valid UTF-8; decoded lossily (use \
                 --strict to refuse)",
                path.display()
            )]
        );
    }
}

#[test]
fn non_utf8_text_is_refused_under_strict_naming_file_and_line() {
    let dir = tmp();
    let path = write(
        dir.path(),
        "latin1.txt",
        b"good line one\nbad \xff line\nanother line\nbad \xfe again\n",
    );
    let r = run(["vectorize", "--strict", &arg(&path)]);
    assert_eq!(
        r.error(1),
        format!(
            "{} line 2: not valid UTF-8 (bytes at byte offset 18); re-encode the file as UTF-8 \
             or drop --strict to decode it lossily",
            path.display()
        )
    );

    // Inside a gzipped file, the line and offset are those of the
    // decompressed text.
    let gz = write(
        dir.path(),
        "latin1.txt.gz",
        gzip(b"ok\nstill ok\nbad \xff\n"),
    );
    let r = run(["vectorize", "--strict", &arg(&gz)]);
    assert!(
        r.error(1).starts_with(&format!(
            "{} line 3: not valid UTF-8 (bytes at byte offset 16)",
            gz.display()
        )),
        "{r:#?}"
    );
}

#[test]
fn corrupt_gzip_input_is_a_data_error_naming_it() {
    let dir = tmp();
    let fake = write(dir.path(), "fake.txt.gz", "not gzip at all\n");
    let r = run(["vectorize", &arg(&fake)]);
    assert!(
        r.error(1).starts_with(&format!("{}: ", fake.display())),
        "{r:#?}"
    );

    let whole = gzip(&fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(BBC)).unwrap());
    let cut = write(dir.path(), "cut.txt.gz", &whole[..whole.len() / 2]);
    let r = run(["vectorize", &arg(&cut)]);
    assert!(
        r.error(1).starts_with(&format!("{}: ", cut.display())),
        "{r:#?}"
    );

    // Standard input that starts like gzip but is not.
    let r = run_stdin(["vectorize", "-"], &b"\x1f\x8bgarbage"[..]);
    assert!(r.error(1).starts_with("-: "), "{r:#?}");
}

#[test]
fn empty_file_is_an_empty_corpus() {
    let dir = tmp();
    let path = write(dir.path(), "empty.txt", "");
    let r = run(["vectorize", &arg(&path)]);
    assert_eq!(
        r.error(1),
        format!(
            "the corpus is empty: no documents in {} (every paragraph of the plain text was \
             empty)",
            path.display()
        )
    );

    // An empty JSON Lines file, and empty standard input.
    let path = write(dir.path(), "empty.jsonl", "\n\n");
    let r = run(["vectorize", &arg(&path)]);
    assert!(
        r.error(1).starts_with(&format!(
            "the corpus is empty: no documents in {} (no records",
            path.display()
        )),
        "{r:#?}"
    );
    let r = run_stdin(["vectorize", "-"], "");
    assert!(
        r.error(1)
            .starts_with("the corpus is empty: no documents in - "),
        "{r:#?}"
    );
}

#[test]
fn file_of_blank_lines_is_an_empty_corpus() {
    let dir = tmp();
    let path = write(dir.path(), "blank.txt", "\n   \n\n\t\r\n\n");
    let r = run(["vectorize", &arg(&path)]);
    assert_eq!(
        r.error(1),
        format!(
            "the corpus is empty: no documents in {} (every paragraph of the plain text was \
             empty)",
            path.display()
        )
    );
}

#[test]
fn documents_of_stop_words_only_leave_an_empty_vocabulary() {
    let dir = tmp();
    let path = write(dir.path(), "stop.txt", "the and of\nit is what\n");
    let r = run(["vectorize", "--stop-words", "english", &arg(&path)]);
    assert_eq!(
        r.error(1),
        "empty vocabulary: the documents contain no terms (perhaps only stop words)"
    );
}

#[test]
fn min_df_above_max_df_is_a_usage_error() {
    let r = run(["vectorize", "--min-df", "5", "--max-df", "2", NEWS]);
    assert_eq!(
        r.error(2),
        "invalid min_df: min_df=5 is above max_df=2: no term could be kept"
    );
    let r = run(["vectorize", "--min-df", "0.6", "--max-df", "0.5", NEWS]);
    assert_eq!(
        r.error(2),
        "invalid min_df: min_df=0.6 is above max_df=0.5: no term could be kept"
    );

    // Parameters are checked before any input is read.
    let r = run([
        "vectorize",
        "--min-df",
        "5",
        "--max-df",
        "2",
        "no/such/input.txt",
    ]);
    assert!(r.error(2).contains("min_df=5"), "{r:#?}");
}

#[test]
fn invalid_parameters_are_usage_errors_naming_the_parameter() {
    for (flags, expected) in [
        (&["--ngram-range", "2,1"][..], "invalid ngram_range: (2, 1)"),
        (&["--ngram-range", "0,1"], "invalid ngram_range: (0, 1)"),
        (&["--min-df", "0"], "invalid min_df: 0"),
        (&["--max-df", "1.5"], "invalid max_df: 1.5"),
        (&["--max-features", "0"], "invalid max_features: 0"),
        (&["--hashing", "--n-features", "0"], "invalid n_features: 0"),
        (
            &["--token-pattern", "(a)(b)"],
            "invalid token_pattern: `(a)(b)`",
        ),
    ] {
        let r = run(["vectorize"].iter().chain(flags).chain(&[NEWS]));
        let message = r.error(2);
        assert!(message.starts_with(expected), "{flags:?}: {r:#?}");
    }
}

#[test]
fn token_pattern_that_does_not_compile_is_a_one_line_usage_error() {
    let r = run(["vectorize", "--token-pattern", "(", NEWS]);
    let message = r.error(2);
    assert!(message.starts_with("invalid token_pattern: `(`"), "{r:#?}");
    // Python's re says the same: "missing ), unterminated subpattern at position 0".
    assert!(
        message.contains("missing ), unterminated subpattern"),
        "{r:#?}"
    );
}

#[test]
fn vocabulary_left_empty_by_pruning_is_a_data_error() {
    // More documents than the corpus has: the bounds cannot keep any term.
    let r = run(["vectorize", "--min-df", "500", NEWS]);
    let message = r.error(1);
    assert!(message.contains("min_df=500"), "{r:#?}");
    assert!(message.contains("74"), "the corpus size: {r:#?}");
    assert!(message.contains("lower min_df"), "{r:#?}");

    // Possible bounds that no term meets.
    let r = run(["vectorize", "--min-df", "60", NEWS]);
    assert_eq!(
        r.error(1),
        "after pruning, no terms remain (min_df=60, max_df=1.0, 74 documents, 684 terms before \
         pruning); try a lower min_df or a higher max_df"
    );
}

#[test]
fn model_of_another_version_is_refused_naming_both_versions() {
    let dir = tmp();
    let model = dir.path().join("model.json");
    run(["vectorize", NEWS, "--model-out", &arg(&model)]).wrote();
    let text = fs::read_to_string(&model).unwrap();
    assert!(text.contains("\"version\":1"), "{text:.200}");
    let v2 = write(
        dir.path(),
        "model-v2.json",
        text.replacen("\"version\":1", "\"version\":2", 1),
    );
    let r = run(["vectorize", "--model", &arg(&v2), NEWS]);
    let message = r.error(1);
    assert!(
        message.starts_with(&format!("{}: model format version 2", v2.display())),
        "{r:#?}"
    );
    assert!(message.contains("reads version 1"), "{r:#?}");
}

#[test]
fn file_that_is_not_a_model_is_refused() {
    let dir = tmp();
    let cases = [
        ("object.json", "{\"a\": 1}\n", "not a topica TF-IDF model"),
        ("text.json", "hello\n", "not a topica model (invalid JSON"),
        ("empty.json", "", "not a topica model (invalid JSON"),
    ];
    for (name, content, expected) in cases {
        let path = write(dir.path(), name, content);
        let r = run(["vectorize", "--model", &arg(&path), NEWS]);
        let message = r.error(1);
        assert!(
            message.starts_with(&format!("{}: {expected}", path.display())),
            "{name}: {r:#?}"
        );
    }
    // A news article is not a model either, and a missing model is named.
    let article = format!("{NEWS}/01-gript-home-office-monitors-musk.txt");
    let r = run(["vectorize", "--model", &article, NEWS]);
    assert!(
        r.error(1)
            .starts_with(&format!("{article}: not a topica model")),
        "{r:#?}"
    );
    let missing = dir.path().join("missing.json");
    let r = run(["vectorize", "--model", &arg(&missing), NEWS]);
    assert!(
        r.error(1)
            .starts_with(&format!("{}: {}", missing.display(), os_error(&missing))),
        "{r:#?}"
    );
}

#[test]
fn model_with_analysis_flags_is_a_usage_error() {
    let dir = tmp();
    let model = dir.path().join("model.json");
    run(["vectorize", NEWS, "--model-out", &arg(&model)]).wrote();
    let r = run([
        "vectorize",
        "--model",
        &arg(&model),
        "--stop-words",
        "english",
        NEWS,
    ]);
    assert!(
        r.error(2)
            .starts_with("invalid model: a saved model brings its own text analysis"),
        "{r:#?}"
    );
}

#[test]
fn flag_misuse_is_a_usage_error_from_the_flag_parser() {
    let dir = tmp();
    let model = dir.path().join("m.json");
    run(["vectorize", NEWS, "--model-out", &arg(&model)]).wrote();
    let model = arg(&model);
    let cases: [(&[&str], &[&str]); 9] = [
        (&["vectorize", "--min-df", "x", NEWS], &["--min-df", "'x'"]),
        (
            &["vectorize", "--ngram-range", "2", NEWS],
            &["--ngram-range", "'2'"],
        ),
        (&["vectorize", "--norm", "l3", NEWS], &["--norm", "'l3'"]),
        (
            &["--threads", "0", "vectorize", NEWS],
            &["--threads", "'0'"],
        ),
        (
            &["vectorize", "--model", &model, "--min-df", "2", NEWS],
            &["--model", "--min-df"],
        ),
        (&["vectorize", "--stem", "klingon", NEWS], &["--stem"]),
        (&["vectorize", "--n-features", "10", NEWS], &["--hashing"]),
        (&["vectorize", "--frobnicate", NEWS], &["--frobnicate"]),
        (&["vectorize"], &["<INPUT>"]),
    ];
    for (args, named) in cases {
        let r = run(args);
        r.clap_error();
        for name in named {
            assert!(
                r.stderr.contains(name),
                "{args:?} should name {name}: {r:#?}"
            );
        }
    }
}

#[test]
fn flag_misuse_is_reported_on_one_topica_line() {
    let r = run(["vectorize", "--min-df", "x", NEWS]);
    let message = r.error(2);
    assert!(message.contains("--min-df"), "{r:#?}");
}

#[test]
fn unknown_stop_word_list_is_a_usage_error_listing_the_known_lists() {
    let r = run(["vectorize", "--stop-words", "klingon", NEWS]);
    let message = r.error(2);
    assert!(
        message.starts_with("invalid stop_words: unknown stop-word list `klingon`"),
        "{r:#?}"
    );
    for list in ["english", "french", "german", "spanish", "a file of words"] {
        assert!(message.contains(list), "{list}: {r:#?}");
    }
}

#[test]
fn stop_words_file_removes_its_words() {
    let dir = tmp();
    let before = dir.path().join("before.txt");
    run(["vectorize", NEWS, "--vocabulary-out", &arg(&before)]).wrote();
    let before = read_lines(&before);
    for word in ["musk", "the", "home"] {
        assert!(before.iter().any(|t| t == word), "{word} is a term");
    }

    // One word a line, surrounding space trimmed, `#` comments and blank
    // lines ignored.
    let list = write(
        dir.path(),
        "stop.txt",
        "musk\nthe\n# a comment\n\n  home  \n",
    );
    let after = dir.path().join("after.txt");
    let r = run([
        "vectorize",
        NEWS,
        "--stop-words",
        &arg(&list),
        "--vocabulary-out",
        &arg(&after),
    ]);
    assert_eq!(r.wrote().1, 681);
    let after = read_lines(&after);
    let expected: Vec<String> = before
        .into_iter()
        .filter(|t| !["musk", "the", "home"].contains(&t.as_str()))
        .collect();
    assert_eq!(after, expected);
}

#[test]
fn stop_words_path_that_cannot_be_read_names_it() {
    let dir = tmp();
    let r = run(["vectorize", "--stop-words", &arg(dir.path()), NEWS]);
    assert!(
        r.error(1)
            .starts_with(&format!("{}: ", dir.path().display())),
        "{r:#?}"
    );
}

#[test]
fn bad_fixed_vocabulary_names_file_and_line() {
    let dir = tmp();
    let twice = write(dir.path(), "twice.txt", "musk\nhome\nmusk\n");
    let r = run(["vectorize", "--vocabulary", &arg(&twice), NEWS]);
    assert_eq!(
        r.error(1),
        format!("{} line 3: `musk` appears twice", twice.display())
    );
    let empty = write(dir.path(), "empty.txt", "");
    let r = run(["vectorize", "--vocabulary", &arg(&empty), NEWS]);
    assert_eq!(
        r.error(1),
        format!("{}: the vocabulary is empty", empty.display())
    );
    let missing = dir.path().join("missing.txt");
    let r = run(["vectorize", "--vocabulary", &arg(&missing), NEWS]);
    assert!(
        r.error(1)
            .starts_with(&format!("{}: {}", missing.display(), os_error(&missing))),
        "{r:#?}"
    );
}

// ---------------------------------------------------------------------------
// Happy paths
// ---------------------------------------------------------------------------

#[test]
fn news_summary_matches_scikit_learn_defaults() {
    let s = run(["vectorize", NEWS]).summary();
    assert_eq!(s.columns_label, "terms");
    assert_eq!(s.counts(), (74, 684, 1749));
}

#[test]
fn news_outputs_matrix_market_vocabulary_and_model() {
    let dir = tmp();
    let (x, v, m) = (
        dir.path().join("x.mtx"),
        dir.path().join("v.txt"),
        dir.path().join("m.json"),
    );
    let r = run([
        "vectorize",
        NEWS,
        "-o",
        &arg(&x),
        "--vocabulary-out",
        &arg(&v),
        "--model-out",
        &arg(&m),
    ]);
    assert_eq!(r.wrote(), (74, 684, 1749));

    let text = fs::read_to_string(&x).unwrap();
    let header: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("% "))
        .take(2)
        .collect();
    assert_eq!(
        header,
        [
            "%%MatrixMarket matrix coordinate real general",
            "74 684 1749"
        ]
    );
    let mtx = Mtx::read(&x);
    assert_eq!(mtx.shape(), (74, 684, 1749));
    for (row, sum) in mtx.row_square_sums().iter().enumerate() {
        assert!((sum - 1.0).abs() <= 1e-12, "row {}: {sum}", row + 1);
    }

    let vocabulary = read_lines(&v);
    assert_eq!(vocabulary.len(), 684);
    assert!(
        vocabulary.windows(2).all(|w| w[0] < w[1]),
        "sorted, no duplicates"
    );

    let model: serde_json::Value = serde_json::from_slice(&fs::read(&m).unwrap()).unwrap();
    assert_eq!(model["format"], "topica-tfidf-model");
    assert_eq!(model["version"], 1);
    assert_eq!(model["n_documents"], 74);
    let terms: Vec<&str> = model["vocabulary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(terms, vocabulary);
    assert_eq!(model["idf"].as_array().unwrap().len(), 684);
}

/// The flags that give each scikit-learn fixture's parameters.
const FIXTURE_FLAGS: &[(&str, &[&str])] = &[
    ("default", &[]),
    (
        "issue",
        &[
            "--stop-words",
            "english",
            "--sublinear-tf",
            "--min-df",
            "2",
            "--max-df",
            "0.5",
            "--ngram-range",
            "1,2",
        ],
    ),
    (
        "binary_l1_nosmooth",
        &["--binary", "--norm", "l1", "--no-smooth-idf"],
    ),
    ("tf_only", &["--no-use-idf", "--norm", "none"]),
    (
        "max_features",
        &["--stop-words", "english", "--max-features", "53"],
    ),
    ("mixed_df", &["--min-df", "0.03", "--max-df", "10"]),
    (
        "accents_unicode_nolower",
        &["--strip-accents", "unicode", "--no-lowercase"],
    ),
    ("accents_ascii", &["--strip-accents", "ascii"]),
    (
        "custom_pattern",
        &["--token-pattern", r"(?u)\b\w+\b", "--ngram-range", "2,3"],
    ),
    (
        "char_wb",
        &["--analyzer", "char_wb", "--ngram-range", "2,4"],
    ),
    (
        "char",
        &[
            "--analyzer",
            "char",
            "--ngram-range",
            "3,3",
            "--min-df",
            "2",
        ],
    ),
    ("hashing_default", &["--hashing"]),
    (
        "hashing_options",
        &[
            "--hashing",
            "--n-features",
            "262144",
            "--no-alternate-sign",
            "--binary",
            "--norm",
            "l1",
            "--stop-words",
            "english",
            "--ngram-range",
            "1,2",
        ],
    ),
    (
        "hashing_small",
        &["--hashing", "--n-features", "64", "--norm", "none"],
    ),
    ("float32", &["--dtype", "float32", "--sublinear-tf"]),
];

#[test]
fn every_flag_combination_matches_scikit_learn_on_the_news() {
    let dir = tmp();
    for (name, flags) in FIXTURE_FLAGS {
        let f = sklearn_fixture(&format!("news_{name}"));
        let x = dir.path().join(format!("{name}.mtx"));
        let v = dir.path().join(format!("{name}.txt"));
        let mut args = vec!["vectorize".to_string(), NEWS.into(), "-o".into(), arg(&x)];
        let hashing = flags.contains(&"--hashing");
        if !hashing {
            args.extend(["--vocabulary-out".into(), arg(&v)]);
        }
        args.extend(flags.iter().map(|s| s.to_string()));
        run(&args).wrote();

        let ((rows, cols), expected) = fixture_entries(&f);
        let mtx = Mtx::read(&x);
        assert_eq!(mtx.shape(), (rows, cols, expected.len()), "{name}");
        let tolerance = if *name == "float32" { 1e-6 } else { 1e-12 };
        for ((i, j, got), (ei, ej, want)) in mtx.values().into_iter().zip(expected) {
            assert_eq!((i, j), (ei, ej), "{name}: structure");
            assert!(
                (got - want).abs() <= tolerance,
                "{name}: ({}, {}) is {got}, scikit-learn {want}",
                i + 1,
                j + 1
            );
        }
        if !hashing {
            let terms: Vec<&str> = f["vocabulary"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert_eq!(read_lines(&v), terms, "{name}: vocabulary");
        }
    }
}

#[test]
fn saved_model_transforms_to_the_same_bytes_as_the_fit() {
    let dir = tmp();
    let p = |name: &str| arg(&dir.path().join(name));
    for (i, flags) in [
        &[][..],
        &[
            "--ngram-range",
            "1,2",
            "--stop-words",
            "english",
            "--stem",
            "english",
            "--sublinear-tf",
        ],
        &[
            "--analyzer",
            "char_wb",
            "--ngram-range",
            "2,3",
            "--min-df",
            "2",
            "--max-df",
            "0.9",
            "--binary",
            "--norm",
            "l1",
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let (fit, model, transformed) = (
            p(&format!("fit{i}.mtx")),
            p(&format!("model{i}.json")),
            p(&format!("transformed{i}.mtx")),
        );
        let (fv, tv) = (p(&format!("fit{i}.txt")), p(&format!("tr{i}.txt")));
        let mut args = vec![
            "vectorize",
            NEWS,
            "-o",
            &fit,
            "--model-out",
            &model,
            "--vocabulary-out",
            &fv,
        ];
        args.extend(flags);
        let shape = run(&args).wrote();
        let r = run([
            "vectorize",
            NEWS,
            "--model",
            &model,
            "-o",
            &transformed,
            "--vocabulary-out",
            &tv,
        ]);
        assert_eq!(r.wrote(), shape, "{flags:?}");
        assert_eq!(
            fs::read(&fit).unwrap(),
            fs::read(&transformed).unwrap(),
            "{flags:?}"
        );
        assert_eq!(fs::read(&fv).unwrap(), fs::read(&tv).unwrap(), "{flags:?}");
    }

    // A stop-word file is kept in the model: it can be deleted after fitting.
    let stop = write(dir.path(), "stop.txt", "musk\nhome\n");
    let (fit, model, transformed) = (p("sw.mtx"), p("sw.json"), p("sw-tr.mtx"));
    run([
        "vectorize",
        NEWS,
        "--stop-words",
        &arg(&stop),
        "-o",
        &fit,
        "--model-out",
        &model,
    ])
    .wrote();
    fs::remove_file(&stop).unwrap();
    run(["vectorize", NEWS, "--model", &model, "-o", &transformed]).wrote();
    assert_eq!(fs::read(&fit).unwrap(), fs::read(&transformed).unwrap());

    // Other documents get the model's columns.
    let r = run(["vectorize", BBC, "--model", &p("model0.json")]);
    assert_eq!(r.summary().counts().0, 17);
    assert_eq!(r.summary().columns, 684);
}

#[test]
fn vocabulary_out_reads_back_as_a_fixed_vocabulary() {
    // Character n-grams of whole files hold spaces and line breaks: the
    // vocabulary file escapes them and `--vocabulary` reads them back.
    let dir = tmp();
    for (i, flags) in [
        &["--ngram-range", "1,2"][..],
        &["--analyzer", "char_wb", "--ngram-range", "2,3"],
        &[
            "--analyzer",
            "char",
            "--ngram-range",
            "1,3",
            "--split",
            "none",
        ],
        // A digit matches with the group left out: the empty term, as
        // scikit-learn's re.findall gives it.
        &["--token-pattern", "([a-z]+)|[0-9]"],
    ]
    .into_iter()
    .enumerate()
    {
        let (x1, v1) = (
            dir.path().join(format!("x{i}a.mtx")),
            dir.path().join(format!("v{i}a.txt")),
        );
        let (x2, v2) = (
            dir.path().join(format!("x{i}b.mtx")),
            dir.path().join(format!("v{i}b.txt")),
        );
        let mut fit = vec!["vectorize".to_string(), NEWS.into(), "-o".into(), arg(&x1)];
        fit.extend(["--vocabulary-out".into(), arg(&v1)]);
        fit.extend(flags.iter().map(|f| f.to_string()));
        let shape = run(&fit).wrote();
        let mut fixed = vec!["vectorize".to_string(), NEWS.into(), "-o".into(), arg(&x2)];
        fixed.extend([
            "--vocabulary-out".into(),
            arg(&v2),
            "--vocabulary".into(),
            arg(&v1),
        ]);
        fixed.extend(flags.iter().map(|f| f.to_string()));
        assert_eq!(run(&fixed).wrote(), shape, "{flags:?}");
        assert_eq!(fs::read(&x1).unwrap(), fs::read(&x2).unwrap(), "{flags:?}");
        assert_eq!(fs::read(&v1).unwrap(), fs::read(&v2).unwrap(), "{flags:?}");
        assert_eq!(read_lines(&v1).len(), shape.1, "{flags:?}: one term a line");
        if i == 3 {
            assert_eq!(read_lines(&v1)[0], "\\e", "the empty term, escaped");
        }
    }
}

/// Runs `topica --threads N vectorize ARGS... -o X` for N in 1, 2, 3 (with
/// `--vocabulary-out V --model-out M` unless hashing) and asserts the files
/// are byte-identical. Returns (documents, columns, non-zeros).
fn assert_same_for_1_2_3_threads(dir: &Path, args: &[&str]) -> (usize, usize, usize) {
    let hashing = args.contains(&"--hashing");
    let mut first: Option<Vec<Vec<u8>>> = None;
    let mut shape = None;
    for threads in ["1", "2", "3"] {
        let x = arg(&dir.join(format!("x{threads}.mtx")));
        let v = arg(&dir.join(format!("v{threads}.txt")));
        let m = arg(&dir.join(format!("m{threads}.json")));
        let mut full = vec!["--threads", threads, "vectorize"];
        full.extend(args);
        full.extend(["-o", &x]);
        let mut outputs = vec![&x];
        if !hashing {
            full.extend(["--vocabulary-out", &v, "--model-out", &m]);
            outputs.extend([&v, &m]);
        }
        shape = Some(run(&full).wrote());
        let files: Vec<Vec<u8>> = outputs.iter().map(|p| fs::read(p).unwrap()).collect();
        match &first {
            None => first = Some(files),
            Some(first) => {
                for ((a, b), path) in first.iter().zip(&files).zip(&outputs) {
                    assert!(a == b, "{path} with {threads} threads differs ({args:?})");
                }
            }
        }
    }
    shape.unwrap()
}

#[test]
fn results_do_not_depend_on_the_number_of_threads_on_the_news() {
    let dir = tmp();
    let shape = assert_same_for_1_2_3_threads(
        dir.path(),
        &[
            NEWS,
            "--ngram-range",
            "1,2",
            "--stop-words",
            "english",
            "--sublinear-tf",
        ],
    );
    assert_eq!(shape.0, 74);
    // `--threads` is global: it may follow the subcommand too.
    let r = run(["vectorize", "--threads", "2", NEWS]);
    assert_eq!(r.summary().counts(), (74, 684, 1749));
}

#[test]
fn results_do_not_depend_on_the_number_of_threads_on_a_larger_corpus() {
    let dir = tmp();
    let paragraphs = generated_paragraphs(3000);
    let text = write(dir.path(), "generated.txt", paragraphs.join("\n\n") + "\n");
    let shape = assert_same_for_1_2_3_threads(
        dir.path(),
        &[&arg(&text), "--stem", "english", "--ngram-range", "1,2"],
    );
    assert_eq!(shape.0, 3000);

    // JSON Lines over 4 MiB are parsed in blocks, in parallel.
    let mut jsonl = String::new();
    for (i, p) in generated_paragraphs(8000).iter().enumerate() {
        let record = serde_json::json!({"id": i, "text": p});
        jsonl.push_str(&record.to_string());
        jsonl.push('\n');
    }
    assert!(jsonl.len() > 4 << 20, "{} bytes", jsonl.len());
    let jsonl = write(dir.path(), "generated.jsonl", jsonl);
    let shape = assert_same_for_1_2_3_threads(dir.path(), &[&arg(&jsonl), "--min-df", "2"]);
    assert_eq!(shape.0, 8000);

    // Hashing too.
    let shape = assert_same_for_1_2_3_threads(
        dir.path(),
        &[&arg(&text), "--hashing", "--ngram-range", "1,2"],
    );
    assert_eq!(shape.0, 3000);
}

#[test]
fn non_utf8_in_a_large_jsonl_warns_once_naming_the_first_bad_line() {
    // Over 4 MiB: read in blocks parsed in parallel. Bad bytes on lines
    // 2001 (first block) and 7501, 7901 (second block).
    let dir = tmp();
    let mut bytes = Vec::new();
    let mut offset_of_first_bad = 0;
    for (i, p) in generated_paragraphs(8000).iter().enumerate() {
        let mut line = serde_json::json!({ "id": i, "text": p })
            .to_string()
            .into_bytes();
        if [2000, 7500, 7900].contains(&i) {
            let at = line.len() - 2;
            line.insert(at, 0xff);
            if i == 2000 {
                offset_of_first_bad = bytes.len() + at;
            }
        }
        bytes.extend(line);
        bytes.push(b'\n');
    }
    assert!(bytes.len() > 4 << 20);
    let path = write(dir.path(), "large.jsonl", &bytes);
    for threads in ["1", "3"] {
        let r = run(["--threads", threads, "vectorize", &arg(&path)]);
        assert_eq!(r.summary_with_warnings().documents, 8000);
        assert_eq!(
            r.stderr,
            format!(
                "topica: warning: {}: line 2001 is not valid UTF-8; decoded lossily (use \
                 --strict to refuse)\n",
                path.display()
            ),
            "{threads} threads"
        );
        let r = run(["--threads", threads, "vectorize", "--strict", &arg(&path)]);
        assert_eq!(
            r.error(1),
            format!(
                "{} line 2001: not valid UTF-8 (bytes at byte offset {offset_of_first_bad}); \
                 re-encode the file as UTF-8 or drop --strict to decode it lossily",
                path.display()
            ),
            "{threads} threads"
        );
    }

    // Only in the second block: its line numbers continue the first's.
    let fixed: Vec<u8> = bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .flat_map(|(i, line)| {
            let mut line = line.to_vec();
            if i == 2000 {
                line.retain(|&b| b != 0xff);
            }
            line.push(b'\n');
            line
        })
        .collect();
    let path = write(dir.path(), "large2.jsonl", &fixed[..fixed.len() - 1]);
    let r = run(["vectorize", &arg(&path)]);
    assert_eq!(
        r.stderr_lines(),
        [format!(
            "topica: warning: {}: line 7501 is not valid UTF-8; decoded lossily (use --strict \
             to refuse)",
            path.display()
        )]
    );
}

#[test]
fn standard_input_as_plain_text_jsonl_and_gzip() {
    let dir = tmp();
    let text = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(BBC)).unwrap();
    let from_file = dir.path().join("file.mtx");
    let r = run(["vectorize", BBC, "-o", &arg(&from_file)]);
    assert_eq!(r.wrote(), (17, 245, 402));

    let s = run_stdin(["vectorize", "-"], text.clone()).summary();
    assert_eq!(s.counts(), (17, 245, 402));

    // The same paragraphs as JSON Lines.
    let jsonl: String = String::from_utf8(text.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::json!({ "text": l.trim() }).to_string() + "\n")
        .collect();
    let s = run_stdin(["vectorize", "--format", "jsonl", "-"], jsonl.clone()).summary();
    assert_eq!(s.counts(), (17, 245, 402));

    // Gzipped, recognised by its magic bytes.
    let s = run_stdin(["vectorize", "-"], gzip(&text)).summary();
    assert_eq!(s.counts(), (17, 245, 402));
    let s = run_stdin(
        ["vectorize", "--format", "jsonl", "-"],
        gzip(jsonl.as_bytes()),
    )
    .summary();
    assert_eq!(s.counts(), (17, 245, 402));

    // And the matrices are those of the file.
    for (i, (args, input)) in [
        (&["vectorize", "-"][..], text.clone()),
        (&["vectorize", "-"], gzip(&text)),
        (&["vectorize", "--format", "jsonl", "-"], jsonl.into_bytes()),
    ]
    .into_iter()
    .enumerate()
    {
        let out = dir.path().join(format!("stdin{i}.mtx"));
        let out_s = arg(&out);
        let mut full = args.to_vec();
        full.extend(["-o", &out_s]);
        assert_eq!(run_stdin(&full, input).wrote(), (17, 245, 402));
        assert_eq!(
            fs::read(&out).unwrap(),
            fs::read(&from_file).unwrap(),
            "{args:?}"
        );
    }

    // Standard input between files: its paragraphs come in order.
    // (BBC's paragraphs then have the same ids twice: one warning says so.)
    let r = run_stdin(["vectorize", NEWS, "-", BBC], text);
    assert_eq!(r.summary_with_warnings().documents, 74 + 17 + 17);
    assert_eq!(r.stderr_lines().len(), 1, "{r:#?}");
    assert!(
        r.stderr
            .starts_with("topica: warning: 17 ids are used by more than one document"),
        "{r:#?}"
    );
}

#[test]
fn jsonl_and_csv_inputs_with_text_and_id_fields() {
    let dir = tmp();
    // `id` repeats; `key` does not.
    let records = [
        (1, "a", "alpha beta", "zzz"),
        (1, "b", "beta gamma", "zzz"),
        (2, "c", "gamma delta", "zzz"),
    ];
    let jsonl: String = records
        .iter()
        .map(|(id, key, body, text)| {
            serde_json::json!({"id": id, "key": key, "body": body, "text": text}).to_string() + "\n"
        })
        .collect();
    let jsonl_path = write(dir.path(), "records.jsonl", &jsonl);
    let gz_path = write(dir.path(), "records.jsonl.gz", gzip(jsonl.as_bytes()));
    let csv_path = write(
        dir.path(),
        "records.csv",
        "id,key,body,text\n1,a,\"alpha, beta\",zzz\n1,b,\"beta\ngamma\",zzz\n2,c,gamma delta,zzz\n",
    );

    for path in [&jsonl_path, &gz_path, &csv_path] {
        let v = dir.path().join("v.txt");
        // The default text field: one term.
        let r = run(["vectorize", &arg(path)]);
        let s = r.summary_with_warnings();
        assert_eq!((s.documents, s.columns), (3, 1), "{}", path.display());

        // --text-field body; the repeated ids give a warning.
        let r = run([
            "vectorize",
            &arg(path),
            "--text-field",
            "body",
            "--vocabulary-out",
            &arg(&v),
        ]);
        assert_eq!(r.code, Some(0), "{r:#?}");
        let lines = r.stderr_lines();
        assert_eq!(lines.len(), 2, "{r:#?}");
        assert!(
            lines[0].starts_with("topica: warning: 1 id is used by more than one document, `1`"),
            "{r:#?}"
        );
        assert!(
            lines[1].starts_with("topica: 3 documents x 4 terms (6 non-zeros)"),
            "{r:#?}"
        );
        assert_eq!(read_lines(&v), ["alpha", "beta", "delta", "gamma"]);

        // --id-field key: unique ids, no warning.
        let r = run([
            "vectorize",
            &arg(path),
            "--text-field",
            "body",
            "--id-field",
            "key",
        ]);
        assert_eq!(r.summary().counts(), (3, 4, 6), "{}", path.display());
    }

    // --format overrides the extension; standard input reads CSV too.
    let r = run(["vectorize", "--format", "text", &arg(&jsonl_path)]);
    assert_eq!(r.summary().documents, 3);
    let r = run_stdin(
        [
            "vectorize",
            "--format",
            "csv",
            "--text-field",
            "body",
            "--id-field",
            "key",
            "-",
        ],
        fs::read(&csv_path).unwrap(),
    );
    assert_eq!(r.summary().counts(), (3, 4, 6));
}

#[test]
fn split_modes_give_paragraphs_lines_or_whole_files() {
    // 01 and 02 have no blank line (a paragraph a line); 03 separates its
    // 34 paragraphs with blank lines.
    for (split, documents) in [("auto", 74), ("lines", 74), ("blank", 36), ("none", 3)] {
        let s = run(["vectorize", "--split", split, NEWS]).summary();
        assert_eq!(s.documents, documents, "--split {split}");
    }
}

#[test]
fn lowercase_flags_override_each_other() {
    let s = run(["vectorize", "--no-lowercase", NEWS]).summary();
    assert_ne!(s.columns, 684);
    let s = run(["vectorize", "--no-lowercase", "--lowercase", NEWS]).summary();
    assert_eq!(s.counts(), (74, 684, 1749));
}

#[test]
fn hashing_summary_has_2_pow_20_columns() {
    let s = run(["vectorize", "--hashing", NEWS]).summary();
    assert_eq!(s.columns_label, "columns");
    assert_eq!(s.counts(), (74, 1 << 20, 1749));
    let s = run(["vectorize", "--hashing", "--n-features", "64", NEWS]).summary();
    assert_eq!((s.documents, s.columns), (74, 64));

    let dir = tmp();
    let x = dir.path().join("h.mtx");
    let r = run(["vectorize", "--hashing", NEWS, "-o", &arg(&x)]);
    assert_eq!(r.wrote(), (74, 1 << 20, 1749));
    assert!(r.stderr.contains("hashed columns"), "{r:#?}");
}

#[test]
fn hashing_with_vocabulary_or_model_flags_is_a_usage_error() {
    let dir = tmp();
    let v = arg(&dir.path().join("v.txt"));
    let m = arg(&dir.path().join("m.json"));
    for (flag, path) in [
        ("--vocabulary-out", &v),
        ("--model-out", &m),
        ("--model", &m),
    ] {
        let r = run(["vectorize", "--hashing", flag, path, NEWS]);
        let first = r.clap_error();
        assert!(
            first.contains("--hashing") && first.contains(flag),
            "{r:#?}"
        );
    }
    assert!(snapshot(dir.path()).is_empty(), "nothing written");
}

#[test]
fn hashing_refuses_tfidf_flags_it_cannot_apply() {
    let dir = tmp();
    let vocabulary = write(dir.path(), "v.txt", "musk\nhome\n");
    let vocabulary = arg(&vocabulary);
    for (flags, name) in [
        (&["--min-df", "5"][..], "min"),
        (&["--max-df", "2"], "max"),
        (&["--min-df", "5", "--max-df", "2"], "min"),
        (&["--max-features", "10"], "max"),
        (&["--vocabulary", &vocabulary], "vocabulary"),
        (&["--sublinear-tf"], "sublinear"),
        (&["--no-use-idf"], "idf"),
        (&["--no-smooth-idf"], "idf"),
    ] {
        let mut args = vec!["vectorize", "--hashing", NEWS];
        args.extend(flags);
        let r = run(&args);
        // A usage error, from clap or from topica, naming the flag.
        assert_eq!(r.code, Some(2), "{flags:?}: {r:#?}");
        assert_eq!(r.stdout, "", "{flags:?}: {r:#?}");
        assert!(r.stderr.contains(name), "{flags:?}: {r:#?}");
    }
}

#[test]
fn float32_values_parse_as_f32_and_agree_with_float64() {
    let dir = tmp();
    let (x64, x32) = (dir.path().join("x64.mtx"), dir.path().join("x32.mtx"));
    run(["vectorize", NEWS, "-o", &arg(&x64)]).wrote();
    let r = run(["vectorize", NEWS, "--dtype", "float32", "-o", &arg(&x32)]);
    assert_eq!(r.wrote(), (74, 684, 1749));
    let (m64, m32) = (Mtx::read(&x64), Mtx::read(&x32));
    assert_eq!(m64.shape(), m32.shape());
    for ((i, j, s32), (i64_, j64, v64)) in m32.entries.iter().zip(m64.values()) {
        assert_eq!((*i, *j), (i64_, j64), "structure");
        let v32: f32 = s32
            .parse()
            .unwrap_or_else(|_| panic!("{s32:?} is not an f32"));
        // Written as the shortest text that reads back as this f32.
        assert_eq!(ryu::Buffer::new().format(v32), s32);
        assert!(
            (f64::from(v32) - v64).abs() <= 1e-6,
            "({}, {}): {v32} against {v64}",
            i + 1,
            j + 1
        );
    }
}

#[test]
fn missing_output_directory_fails_naming_the_path_and_leaves_no_file() {
    for flag in ["-o", "--vocabulary-out", "--model-out"] {
        let dir = tmp();
        let target = dir.path().join("no-such-dir").join("out.file");
        let r = run(["vectorize", NEWS, flag, &arg(&target)]);
        let message = r.error(1);
        assert!(
            message.starts_with(&format!("{}: {}", target.display(), os_error(&target))),
            "{flag}: {r:#?}"
        );
        assert!(snapshot(dir.path()).is_empty(), "{flag}: no file anywhere");
    }

    // An output that is a directory.
    let dir = tmp();
    let r = run(["vectorize", NEWS, "-o", &arg(dir.path())]);
    assert!(
        r.error(1)
            .starts_with(&format!("{}: ", dir.path().display())),
        "{r:#?}"
    );
    assert!(snapshot(dir.path()).is_empty(), "no file anywhere");
}

#[test]
fn missing_output_directory_message_names_only_the_output() {
    let dir = tmp();
    let target = dir.path().join("no-such-dir").join("x.mtx");
    let r = run(["vectorize", NEWS, "-o", &arg(&target)]);
    assert_eq!(
        r.error(1),
        format!("{}: {}", target.display(), os_error(&target))
    );
}

#[test]
fn run_that_fails_before_writing_leaves_existing_outputs_unchanged() {
    let dir = tmp();
    let bad = write(dir.path(), "bad.jsonl", "{\"text\": \"a\"}\n{oops\n");
    let x = write(dir.path(), "x.mtx", "old matrix\n");
    let v = write(dir.path(), "v.txt", "old vocabulary\n");
    let m = write(dir.path(), "m.json", "old model\n");
    let before = snapshot(dir.path());
    let r = run([
        "vectorize",
        &arg(&bad),
        "-o",
        &arg(&x),
        "--vocabulary-out",
        &arg(&v),
        "--model-out",
        &arg(&m),
    ]);
    assert!(
        r.error(1)
            .starts_with(&format!("{} line 2: invalid JSON", bad.display())),
        "{r:#?}"
    );
    assert_eq!(snapshot(dir.path()), before, "files unchanged, none added");

    // Pruning to nothing fails after reading, still before writing.
    let r = run([
        "vectorize",
        NEWS,
        "--min-df",
        "60",
        "-o",
        &arg(&x),
        "--model-out",
        &arg(&m),
    ]);
    assert!(r.error(1).starts_with("after pruning"), "{r:#?}");
    assert_eq!(snapshot(dir.path()), before, "files unchanged, none added");
}

#[test]
fn run_that_fails_on_one_output_leaves_the_others_unchanged() {
    let dir = tmp();
    let x = write(dir.path(), "x.mtx", "old matrix\n");
    let m = dir.path().join("m.json");
    let before = snapshot(dir.path());
    let v = dir.path().join("no-such-dir").join("v.txt");
    let r = run([
        "vectorize",
        NEWS,
        "-o",
        &arg(&x),
        "--model-out",
        &arg(&m),
        "--vocabulary-out",
        &arg(&v),
    ]);
    assert!(
        r.error(1).starts_with(&format!("{}: ", v.display())),
        "{r:#?}"
    );
    let matrix = fs::read_to_string(&x).unwrap();
    assert_eq!(
        matrix.lines().next(),
        Some("old matrix"),
        "the old matrix is kept"
    );
    assert!(!m.exists(), "no model is written");
    assert_eq!(snapshot(dir.path()), before, "nothing else is written");
}

#[test]
fn help_exits_0_and_describes_the_flags() {
    let r = run(["--help"]);
    r.ok();
    assert!(r.stdout.contains("vectorize"), "{r:#?}");
    assert!(r.stdout.contains("--threads"), "{r:#?}");

    for args in [&["vectorize", "--help"][..], &["help", "vectorize"]] {
        let r = run(args);
        r.ok();
        assert_eq!(r.stderr, "");
        for flag in [
            "--min-df",
            "--max-df",
            "--model",
            "--stop-words",
            "--hashing",
            "--dtype",
            "--strict",
            "--max-doc-bytes",
        ] {
            assert!(r.stdout.contains(flag), "{args:?}: {flag}");
        }
    }

    let r = run(["--version"]);
    r.ok();
    assert_eq!(r.stdout, format!("topica {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn summary_counts_are_in_a_fixed_format() {
    // The summary is for people, but its first three lines are stable.
    let r = run(["vectorize", BBC]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        ["documents  17", "terms      245", "non-zeros  402"]
    );
    assert!(lines[3].starts_with("seconds    "), "{r:#?}");
    let _ = Summary::parse(&r.stdout);
}
