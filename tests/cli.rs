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

use support::{BBC, NEWS, gzip, read_lines, run, run_stdin, write};

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
