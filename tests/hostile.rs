//! Hostile and huge input (issue 6): every case has a clear outcome, checked
//! through the `topica` binary as a user runs it.
//!
//! The huge cases (a 200 MB single-line paragraph, a million one-word
//! paragraphs, a JSON Lines file with a 50 MB line) write their inputs to a
//! temporary directory at test time and run only in release builds (`cargo
//! test --release`, as CI runs them): a debug build would take minutes over
//! them. Their peak memory is measured by hand with `/usr/bin/time -v` and
//! written in README.md (section Limits); no test asserts times or memory.
//! The case of a file that changes while it is read needs a hook inside the
//! reader, so it is tested in `src/corpus/read.rs`.

#[path = "cli/support.rs"]
mod support;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use support::{read_lines, run, write};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// `path` as a string argument.
fn arg(path: &Path) -> String {
    path.to_str().expect("UTF-8 temporary path").to_string()
}

/// `text` in UTF-16 with its byte order mark.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    bytes
}

/// Runs `topica vectorize ARGS... --vocabulary-out V` and returns the run's
/// warnings (standard error, `topica: warning: ` dropped) and vocabulary.
#[track_caller]
fn vocabulary(dir: &Path, args: &[&str]) -> (Vec<String>, Vec<String>) {
    let out = dir.join("vocabulary.txt");
    let mut all: Vec<String> = vec!["vectorize".into()];
    all.extend(args.iter().map(ToString::to_string));
    all.extend(["--vocabulary-out".into(), arg(&out)]);
    let r = run(&all);
    r.ok();
    let lines = r.stderr_lines();
    let (last, warnings) = lines.split_last().expect("the summary line");
    assert!(last.contains(" documents x "), "{r:#?}");
    let warnings = warnings
        .iter()
        .map(|w| {
            w.strip_prefix("topica: warning: ")
                .unwrap_or_else(|| panic!("a warning: {w:?}"))
                .to_string()
        })
        .collect();
    (warnings, read_lines(&out))
}

// ---------------------------------------------------------------------------
// Encodings and NUL bytes
// ---------------------------------------------------------------------------

#[test]
fn mixed_encodings_in_one_directory_are_decoded_or_named() {
    let t = tmp();
    let d = t.path().join("mixed");
    write(&d, "a-utf8.txt", "café naïve\n");
    write(&d, "b-bom.txt", "\u{feff}bom résumé\n");
    let latin1 = write(&d, "c-latin1.txt", b"caf\xe9 latin\n");
    write(&d, "d-utf16le.txt", utf16("utf sixteen little\r\n", false));
    write(&d, "e-utf16be.txt", utf16("utf sixteen big\n", true));
    write(&d, "f-crlf.txt", "crlf windows\r\n\r\nsecond paragraph\r\n");
    let bare: Vec<u8> = "no byte order mark\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let no_bom = write(&d, "g-utf16-no-bom.txt", bare);

    let (warnings, terms) = vocabulary(t.path(), &[&arg(&d)]);
    assert_eq!(
        terms,
        [
            "big",
            "bom",
            "caf",
            "café",
            "crlf",
            "latin",
            "little",
            "naïve",
            "paragraph",
            "résumé",
            "second",
            "sixteen",
            "utf",
            "windows"
        ]
    );
    assert_eq!(
        warnings,
        [
            format!(
                "{}: line 1 is not valid UTF-8; decoded lossily (use --strict to refuse)",
                latin1.display()
            ),
            format!(
                "{}: skipped, as it looks like UTF-16 without a byte order mark (a NUL byte in \
                 every other byte); re-encode it as UTF-8",
                no_bom.display()
            ),
        ]
    );

    let r = run(["vectorize", "--strict", &arg(&d)]);
    assert_eq!(
        r.error(1),
        format!(
            "{} line 1: not valid UTF-8 (bytes at byte offset 3); re-encode the file as UTF-8 \
             or drop --strict to decode it lossily",
            latin1.display()
        )
    );
}

#[test]
fn nul_bytes_separate_words_and_a_named_binary_looking_file_is_told() {
    let t = tmp();
    let text = write(t.path(), "nul.txt", b"alpha\0beta gamma\n");
    let (warnings, terms) = vocabulary(t.path(), &[&arg(&text)]);
    assert_eq!(terms, ["alpha", "beta", "gamma"]);
    assert_eq!(
        warnings,
        [format!(
            "{}: read although it looks binary (a NUL byte in its first 8 KiB), as it was \
             named; NUL bytes separate words (use --strict to refuse)",
            text.display()
        )]
    );
    let r = run(["vectorize", "--strict", &arg(&text)]);
    assert_eq!(
        r.error(1),
        format!(
            "{}: refused, as it looks binary (a NUL byte in its first 8 KiB); drop --strict \
             to read it anyway",
            text.display()
        )
    );

    // An escaped NUL in a JSON string is text like any other character.
    let escaped = write(
        t.path(),
        "escaped.jsonl",
        "{\"text\": \"delta\\u0000epsilon\"}\n",
    );
    let (warnings, terms) = vocabulary(t.path(), &[&arg(&escaped)]);
    assert_eq!(terms, ["delta", "epsilon"]);
    assert!(warnings.is_empty(), "{warnings:?}");

    // A raw NUL byte is not allowed in a JSON string.
    let raw = write(
        t.path(),
        "raw.jsonl",
        b"{\"text\": \"a\"}\n{\"text\": \"b\0c\"}\n",
    );
    let r = run(["vectorize", &arg(&raw)]);
    assert!(
        r.error(1).starts_with(&format!(
            "{} line 2: invalid JSON: control character",
            raw.display()
        )),
        "{r:#?}"
    );

    // In CSV a NUL byte is data: named, the file is read with a warning; in a
    // directory, it looks binary and is skipped.
    let d = t.path().join("d");
    let csv = write(&d, "nul.csv", b"id,text\n1,zeta\0eta\n");
    write(&d, "ok.txt", "theta\n");
    let (warnings, terms) = vocabulary(t.path(), &[&arg(&csv)]);
    assert_eq!(terms, ["eta", "zeta"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let (warnings, terms) = vocabulary(t.path(), &[&arg(&d)]);
    assert_eq!(terms, ["theta"]);
    assert_eq!(
        warnings,
        [format!(
            "{}: skipped, as it looks binary (a NUL byte in its first 8 KiB)",
            csv.display()
        )]
    );
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

#[test]
fn csv_with_quoted_newlines_reads_and_a_ragged_row_stops_the_run_naming_its_line() {
    let t = tmp();
    let good = "id,text,label\r\n\
                1,\"first line\r\nsecond line, with a comma\",a\r\n\
                2,\"she said \"\"hello\"\"\",b\r\n\
                3,plain,c\r\n";
    let path = write(t.path(), "good.csv", good);
    let (warnings, terms) = vocabulary(t.path(), &[&arg(&path)]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        terms,
        [
            "comma", "first", "hello", "line", "plain", "said", "second", "she", "with"
        ]
    );

    // A ragged record after one spanning three lines: the error names the
    // line where the ragged record starts.
    let ragged = format!("{good}4,\"one\ntwo\nthree\",d\n5,missing a field\n6,fine,f\n");
    let d = t.path().join("d");
    let path = write(&d, "ragged.csv", ragged);
    write(&d, "other.txt", "other text\n");
    let message = format!(
        "{} line 9: record has 2 fields but the header has 3",
        path.display()
    );
    let r = run(["vectorize", &arg(&path)]);
    assert_eq!(r.error(1), message);
    // Found in a directory too: data that breaks its format is an error, not
    // a file to skip.
    let r = run(["vectorize", &arg(&d)]);
    assert_eq!(r.error(1), message);

    // A quote never closed swallows the rest of the file into one field: the
    // records still have their fields, so this is told, naming the line.
    let open = write(
        t.path(),
        "open.csv",
        "id,text\n1,fine words\n2,\"never closed\n3,swallowed\n4,also swallowed\n",
    );
    let (warnings, terms) = vocabulary(t.path(), &[&arg(&open)]);
    assert_eq!(
        terms,
        ["also", "closed", "fine", "never", "swallowed", "words"]
    );
    assert_eq!(
        warnings,
        [format!(
            "{} line 3: a quoted field of the record on this line is never closed, so the \
             record runs to the end of the file (line 5); check its quotes (use --strict to \
             refuse)",
            open.display()
        )]
    );
    let r = run(["vectorize", "--strict", &arg(&open)]);
    assert!(
        r.error(1)
            .starts_with(&format!("{} line 3: a quoted field", open.display())),
        "{r:#?}"
    );
}

// ---------------------------------------------------------------------------
// Unreadable files
// ---------------------------------------------------------------------------

#[test]
fn an_unreadable_file_among_readable_ones_is_skipped_or_stops_the_run_under_strict() {
    let t = tmp();
    let d = t.path().join("d");
    write(&d, "a.txt", "alpha beta\n");
    let broken = d.join("b.txt");
    std::os::unix::fs::symlink(d.join("gone.txt"), &broken).unwrap();
    let mut gz = support::gzip("gamma delta\n".repeat(5000).as_bytes());
    gz.truncate(gz.len() / 2);
    let cut = write(&d, "c.txt.gz", gz);
    write(&d, "e.jsonl", "{\"text\": \"epsilon zeta\"}\n");
    let no_such = fs::File::open(&broken).unwrap_err().to_string();

    let (warnings, terms) = vocabulary(t.path(), &[&arg(&d)]);
    assert_eq!(terms, ["alpha", "beta", "epsilon", "zeta"]);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(
        warnings[0],
        format!(
            "{}: skipped, as it cannot be read: {no_such} (use --strict to stop instead)",
            broken.display()
        )
    );
    assert!(
        warnings[1].starts_with(&format!(
            "{}: skipped, as it cannot be read: ",
            cut.display()
        )),
        "{warnings:?}"
    );

    let r = run(["vectorize", "--strict", &arg(&d)]);
    assert_eq!(r.error(1), format!("{}: {no_such}", broken.display()));

    // A file named by itself that cannot be read stops the run, --strict or
    // not: the user asked for it.
    let r = run(["vectorize", &arg(&d.join("a.txt")), &arg(&cut)]);
    assert!(
        r.error(1).starts_with(&format!("{}: ", cut.display())),
        "{r:#?}"
    );
}

// ---------------------------------------------------------------------------
// --max-doc-bytes
// ---------------------------------------------------------------------------

#[test]
fn an_over_long_paragraph_is_cut_with_a_warning_naming_it_or_refused_under_strict() {
    let t = tmp();
    let mut long = String::new();
    for i in 0..1000 {
        write!(long, "word{} ", i % 10).unwrap(); // 6 bytes a word
    }
    let long = long.trim_end(); // 5999 bytes
    let path = write(
        t.path(),
        "a.txt",
        format!("short one\n\n{long}\n\ntail words\n"),
    );
    let (warnings, terms) = vocabulary(t.path(), &[&arg(&path), "--max-doc-bytes", "1KiB"]);
    assert_eq!(
        warnings,
        [format!(
            "{} line 3: document `a.txt#1` has 5999 bytes of text, more than --max-doc-bytes \
             (1024); truncated to 1019 bytes (use --strict to refuse)",
            path.display()
        )]
    );
    assert!(terms.contains(&"word9".to_string()));

    let r = run([
        "vectorize",
        &arg(&path),
        "--max-doc-bytes",
        "1024",
        "--strict",
    ]);
    assert_eq!(
        r.error(1),
        format!(
            "{} line 3: document `a.txt#1` has 5999 bytes of text, more than --max-doc-bytes \
             (1024); raise the limit (0: none) or drop --strict to truncate it",
            path.display()
        )
    );

    // Within the default (8 MiB), or with no limit, nothing is said.
    for extra in [
        &[][..],
        &["--max-doc-bytes", "0"],
        &["--max-doc-bytes", "6000"],
    ] {
        let mut args = vec![arg(&path)];
        args.extend(extra.iter().map(ToString::to_string));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (warnings, _) = vocabulary(t.path(), &args);
        assert!(warnings.is_empty(), "{extra:?}: {warnings:?}");
    }
}

#[test]
fn max_doc_bytes_is_accepted_by_every_command_that_reads_and_checked() {
    let t = tmp();
    let path = write(
        t.path(),
        "a.txt",
        "alpha beta gamma\n\nalpha beta delta\n\nepsilon zeta\n\nalpha gamma\n",
    );
    let p = arg(&path);
    for args in [
        &["vectorize", &p][..],
        &[
            "cluster",
            &p,
            "--k",
            "2",
            "--min-df",
            "1",
            "--stop-words",
            "none",
        ],
        &["similar", &p, "--query", "alpha"],
        &["neighbors", &p],
        &["duplicates", &p],
    ] {
        let mut args = args.to_vec();
        args.extend(["--max-doc-bytes", "64KiB"]);
        let r = run(&args);
        assert_eq!(r.code, Some(0), "{args:?}: {r:#?}");
    }

    // Below 1 KiB: a usage error naming the option, from the library's check.
    let r = run(["vectorize", &p, "--max-doc-bytes", "100"]);
    assert_eq!(
        r.error(2),
        "invalid max_doc_bytes: 100 bytes is less than the smallest limit, 1024 bytes (1 KiB), \
         which ordinary paragraphs would already exceed; give a larger limit, or none (0 on \
         the command line)"
    );
    // Not a number of bytes: the flag parser refuses it.
    for bad in ["8MB", "-1", "lots"] {
        let r = run(["vectorize", &p, &format!("--max-doc-bytes={bad}")]);
        assert!(r.clap_error().contains("--max-doc-bytes"), "{bad}: {r:#?}");
    }
}

// ---------------------------------------------------------------------------
// Huge input (release builds only)
// ---------------------------------------------------------------------------

/// `n` bytes (about) of words `PREFIX0000` to `PREFIX4999` in turn, one space
/// apart.
fn words(prefix: char, n: usize) -> String {
    let mut s = String::with_capacity(n + 16);
    let mut i = 0;
    while s.len() < n {
        write!(s, "{prefix}{:04} ", i % 5000).unwrap();
        i += 1;
    }
    s
}

/// The `(documents, terms)` of a `topica vectorize` summary.
#[track_caller]
fn counts(r: &support::Run) -> (usize, usize) {
    let s = support::Summary::parse(&r.stdout);
    (s.documents, s.columns)
}

/// The only warning a run printed.
#[track_caller]
fn one_warning(r: &support::Run) -> &str {
    let lines = r.stderr_lines();
    assert_eq!(lines.len(), 1, "{r:#?}");
    lines[0]
        .strip_prefix("topica: warning: ")
        .unwrap_or_else(|| panic!("{r:#?}"))
}

#[test]
#[cfg_attr(debug_assertions, ignore = "huge input: run with cargo test --release")]
fn a_200_mb_single_line_paragraph_is_cut_to_8_mib_or_read_whole_without_a_limit() {
    let t = tmp();
    // 100 MB of a-words, then 100 MB of b-words, on one line.
    let mut text = words('a', 100 << 20);
    text.push_str(&words('b', 100 << 20));
    let text = text.trim_end();
    let path = write(t.path(), "one-line.txt", text);
    let p = arg(&path);

    let r = run(["vectorize", &p]);
    r.ok();
    assert_eq!(counts(&r), (1, 5000), "only a-words are kept");
    let warning = one_warning(&r);
    let head = format!(
        "{p} line 1: document `one-line.txt#0` has {} bytes of text, more than \
         --max-doc-bytes (8388608); truncated to ",
        text.len()
    );
    assert!(warning.starts_with(&head), "{warning}");

    let r = run(["vectorize", &p, "--max-doc-bytes", "0"]);
    assert_eq!(r.summary().counts().0, 1);
    assert_eq!(counts(&r), (1, 10_000), "every word is kept");

    let r = run(["vectorize", &p, "--strict"]);
    assert!(r.error(1).starts_with(&format!("{p} line 1: ")), "{r:#?}");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "huge input: run with cargo test --release")]
fn a_million_one_word_paragraphs_are_vectorized_and_clustered() {
    let t = tmp();
    let mut text = String::with_capacity(8 << 20);
    for i in 0..1_000_000_u64 {
        writeln!(text, "w{:03}", (i * 7919) % 1000).unwrap();
    }
    let path = write(t.path(), "words.txt", &text);
    let p = arg(&path);

    let r = run(["vectorize", &p]);
    assert_eq!(r.summary().counts(), (1_000_000, 1000, 1_000_000));

    let report = t.path().join("report.json");
    // One k-means start: ten would take ten times as long and prove nothing more.
    let r = run([
        "cluster",
        &p,
        "--k",
        "5",
        "--n-init",
        "1",
        "-o",
        &arg(&report),
    ]);
    r.ok();
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        report["topics"].as_array().map(Vec::len),
        Some(5),
        "{report:#}"
    );
}

#[test]
#[cfg_attr(debug_assertions, ignore = "huge input: run with cargo test --release")]
fn a_jsonl_file_with_a_50_mb_line_is_read_cut_or_whole() {
    let t = tmp();
    let mut big = words('a', 25 << 20);
    big.push_str(&words('b', 25 << 20));
    let big = big.trim_end();
    let bytes = format!(
        "{{\"id\": \"small\", \"text\": \"a0001 c0001\"}}\n\
         {{\"id\": \"big\", \"text\": \"{big}\", \"label\": \"x\"}}\n\
         {{\"id\": \"after\", \"text\": \"c0002\"}}\n"
    );
    let path = write(t.path(), "big.jsonl", bytes);
    let p = arg(&path);

    let r = run(["vectorize", &p]);
    r.ok();
    assert_eq!(counts(&r), (3, 5002));
    let warning = one_warning(&r);
    let head = format!(
        "{p} line 2: document `big` has {} bytes of text, more than --max-doc-bytes \
         (8388608); truncated to ",
        big.len()
    );
    assert!(warning.starts_with(&head), "{warning}");

    let r = run(["vectorize", &p, "--max-doc-bytes", "64MiB"]);
    assert_eq!(r.summary().counts().0, 3);
    assert_eq!(counts(&r), (3, 10_002));
}
