//! Reading: every planned file (in parallel), by format, then the checks on
//! the whole corpus (empty corpus, duplicate ids). Files found in directories
//! that cannot be read are skipped here, and files that changed while they
//! were read are told here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::decode::{Decoder, strip_bom};
use super::source::{self, Job, Opened, STDIN};
use super::{Corpus, Document, Format, ReadOptions, csv, jsonl, limit, text};
use crate::error::{Error, Result};

/// What the readers of one source need to know about it.
#[derive(Debug)]
pub(super) struct Context<'a> {
    /// The path named in errors (`-` for standard input).
    pub path: &'a Path,
    /// The source of its documents (named in warnings too).
    pub source: Arc<str>,
    /// The name in plain-text ids.
    pub name: &'a str,
    /// The options.
    pub options: &'a ReadOptions,
    /// Whether a record had a value in `options.id_field` (JSON Lines and
    /// CSV; their parsers set it, from any thread).
    pub ids_found: AtomicBool,
}

/// What one source gave.
#[derive(Debug, Default)]
struct Part {
    documents: Vec<Document>,
    warnings: Vec<String>,
    /// Whether it was skipped (binary, or unreadable).
    skipped: bool,
}

/// Reads `inputs` in order (see [`Corpus::read`]).
pub(super) fn read_inputs(inputs: &[&Path], options: &ReadOptions) -> Result<Corpus> {
    options.check()?;
    if inputs.is_empty() {
        return Err(Error::EmptyCorpus("no inputs were given".into()));
    }
    let plan = source::plan(inputs, options)?;
    let parts: Vec<Result<Part>> = plan
        .jobs
        .par_iter()
        .map(|job| read_job(job, options))
        .collect();
    let mut corpus = Corpus {
        warnings: plan.warnings,
        ..Corpus::default()
    };
    let mut dir_read = vec![false; plan.dirs.len()];
    for (job, part) in plan.jobs.iter().zip(parts) {
        let part = part?;
        if let Some(dir) = job.dir {
            dir_read[dir] |= !part.skipped;
        }
        append(&mut corpus, part);
    }
    if let Some(dir) = dir_read.iter().position(|&read| !read) {
        return Err(source::no_text_files(&plan.dirs[dir]));
    }
    let text_only = plan.jobs.iter().all(|j| j.format == Format::Text);
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    finish(corpus, &names, text_only)
}

/// Reads one stream as standard input (see [`Corpus::from_reader`]).
pub(super) fn read_stream<R: Read + Send>(
    reader: R,
    name: &str,
    options: &ReadOptions,
) -> Result<Corpus> {
    options.check()?;
    let path = Path::new(name);
    let opened = source::open_stream(reader).map_err(|e| Error::io(path, e))?;
    let format = options.format.unwrap_or(Format::Text);
    let part = read_source(opened, format, false, &context(path, name, options))?;
    let mut corpus = Corpus::default();
    append(&mut corpus, part);
    finish(corpus, &[name.to_string()], format == Format::Text)
}

/// The context for the source at `path`.
fn context<'a>(path: &'a Path, name: &'a str, options: &'a ReadOptions) -> Context<'a> {
    Context {
        path,
        source: Arc::from(path.to_string_lossy()),
        name,
        options,
        ids_found: AtomicBool::new(false),
    }
}

/// Appends a part's documents and warnings.
fn append(corpus: &mut Corpus, part: Part) {
    if corpus.documents.is_empty() {
        corpus.documents = part.documents;
    } else {
        corpus.documents.extend(part.documents);
    }
    corpus.warnings.extend(part.warnings);
}

/// Reads one planned source.
///
/// A file found in a directory that cannot be opened or read is skipped with
/// a warning (unless `--strict`), as is one that looks binary.
fn read_job(job: &Job, options: &ReadOptions) -> Result<Part> {
    read_job_with(job, options, || {})
}

/// [`read_job`], calling `after_open` once the source is open and its first
/// bytes read (tests change the file there).
fn read_job_with(job: &Job, options: &ReadOptions, after_open: impl FnOnce()) -> Result<Part> {
    let ctx = context(&job.path, &job.name, options);
    match read_file(job, &ctx, after_open) {
        Err(Error::Io { error, .. }) if job.dir.is_some() && !options.strict => Ok(Part {
            warnings: vec![source::unreadable_warning(&ctx.source, &error.to_string())],
            skipped: true,
            ..Part::default()
        }),
        other => other,
    }
}

/// Opens and reads one planned source, then tells whether it changed while
/// it was read.
fn read_file(job: &Job, ctx: &Context<'_>, after_open: impl FnOnce()) -> Result<Part> {
    let mut opened = if job.stdin {
        source::open_stream(std::io::stdin()).map_err(|e| Error::io(STDIN, e))?
    } else {
        source::open_file(job)?
    };
    after_open();
    let watch = opened.watch.take();
    let mut part = read_source(opened, job.format, job.dir.is_some(), ctx)?;
    if let Some(watch) = watch {
        if watch.changed().map_err(|e| Error::io(ctx.path, e))? {
            const CHANGED: &str =
                "changed while it was read; its documents may mix old and new contents";
            if ctx.options.strict {
                return Err(Error::input(
                    ctx.path,
                    None,
                    format!("{CHANGED}; read it again once it is complete, or drop --strict"),
                ));
            }
            part.warnings.push(format!(
                "{}: {CHANGED} (use --strict to refuse)",
                ctx.source
            ));
        }
    }
    Ok(part)
}

/// Reads an opened source as `format`: skipped with a warning when found in
/// a directory (`in_dir`) and binary; otherwise read, with a warning (or,
/// under `--strict`, an error) when it looks binary.
fn read_source(
    opened: Opened<'_>,
    format: Format,
    in_dir: bool,
    ctx: &Context<'_>,
) -> Result<Part> {
    let mut warnings = Vec::new();
    if source::looks_binary(&opened.head) {
        let (why, advice) = source::binary_why(&opened.head);
        let advice = advice.map(|a| format!("; {a}")).unwrap_or_default();
        if in_dir {
            return Ok(Part {
                warnings: vec![format!("{}: skipped, as it {why}{advice}", ctx.source)],
                skipped: true,
                ..Part::default()
            });
        }
        if ctx.options.strict {
            return Err(Error::input(
                ctx.path,
                None,
                format!("refused, as it {why}{advice}; drop --strict to read it anyway"),
            ));
        }
        warnings.push(format!(
            "{}: read although it {why}, as it was named; NUL bytes separate words{advice} \
             (use --strict to refuse)",
            ctx.source
        ));
    }
    let mut part = read_opened(opened, format, ctx)?;
    warnings.append(&mut part.warnings);
    part.warnings = warnings;
    Ok(part)
}

/// Reads an opened source as `format`.
fn read_opened(opened: Opened<'_>, format: Format, ctx: &Context<'_>) -> Result<Part> {
    let (documents, notes, warning) = match format {
        Format::Jsonl => {
            let (documents, notes, warning) = jsonl::read(opened, ctx)?;
            (documents, notes, warning.into_iter().collect())
        }
        Format::Text | Format::Csv => {
            let mut bytes = opened.read_all(ctx.path)?;
            let offset = strip_bom(&mut bytes);
            let mut decoder = Decoder::new(ctx.path, ctx.options.strict);
            let decoded = decoder.decode(&bytes, 1, offset)?;
            let (documents, notes, quote) = if format == Format::Csv {
                csv::documents(&decoded, ctx)?
            } else {
                let (documents, notes) = text::documents(&decoded, ctx)?;
                (documents, notes, None)
            };
            let mut warnings: Vec<String> = quote.into_iter().collect();
            warnings.extend(decoder.warning(&ctx.source));
            (documents, notes, warnings)
        }
    };
    let mut warnings = limit::warnings(&ctx.source, ctx.options.max_doc_bytes, &notes);
    warnings.extend(warning);
    // An id field asked for by name that no record fills: the ids fell back
    // to line numbers, and a labels file keyed by the real ids would match
    // nothing (the default `id` may be absent: that fallback is documented).
    let id_field = &ctx.options.id_field;
    if format != Format::Text
        && id_field != &ReadOptions::default().id_field
        && !documents.is_empty()
        && !ctx.ids_found.load(Ordering::Relaxed)
    {
        warnings.push(format!(
            "{}: no record has a value in the field `{id_field}` (--id-field){}, so the ids are \
             line numbers",
            ctx.source,
            if id_field == &ctx.options.text_field {
                ", which is the text field"
            } else {
                ""
            }
        ));
    }
    Ok(Part {
        documents,
        warnings,
        skipped: false,
    })
}

/// The checks on the whole corpus: no documents is an error, duplicate ids a
/// warning.
fn finish(mut corpus: Corpus, inputs: &[String], text_only: bool) -> Result<Corpus> {
    if corpus.documents.is_empty() {
        const SHOWN: usize = 5;
        let mut names = inputs[..inputs.len().min(SHOWN)].join(", ");
        if inputs.len() > SHOWN {
            names += &format!(" and {} more", inputs.len() - SHOWN);
        }
        let why = if text_only {
            "every paragraph of the plain text was empty"
        } else {
            "no records, and every paragraph of any plain text was empty"
        };
        return Err(Error::EmptyCorpus(format!(
            "no documents in {names} ({why})"
        )));
    }
    if let Some(warning) = duplicate_ids(&corpus.documents) {
        corpus.warnings.push(warning);
    }
    Ok(corpus)
}

/// A warning about ids used by more than one document, if any: how many, and
/// the first few with where they occur first and second.
fn duplicate_ids(documents: &[Document]) -> Option<String> {
    const SHOWN: usize = 3;
    let mut first: HashMap<&str, (usize, bool), BuildHasherDefault<Fnv>> =
        HashMap::with_capacity_and_hasher(documents.len(), BuildHasherDefault::default());
    let mut duplicated = Vec::new();
    for (i, d) in documents.iter().enumerate() {
        let seen = first.entry(d.id.as_str()).or_insert((i, false));
        if seen.0 != i && !seen.1 {
            seen.1 = true;
            duplicated.push((seen.0, i));
        }
    }
    if duplicated.is_empty() {
        return None;
    }
    let at = |d: &Document| format!("{} line {}", d.source, d.line);
    let examples: Vec<String> = duplicated
        .iter()
        .take(SHOWN)
        .map(|&(a, b)| {
            let (a, b) = (&documents[a], &documents[b]);
            format!("`{}` ({} and {})", a.id, at(a), at(b))
        })
        .collect();
    let n = duplicated.len();
    Some(format!(
        "{n} {} used by more than one document, {}{}; all documents are kept",
        if n == 1 { "id is" } else { "ids are" },
        if n == 1 { "" } else { "first " },
        examples.join(", ")
    ))
}

/// The FNV-1a hash: ids are short and trusted enough that SipHash's defence
/// against flooding is not worth its cost here.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::io::Cursor;
    use std::time::Duration;

    use super::*;
    use crate::corpus::Split;
    use crate::corpus::source::tests::gzip;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    fn ids(corpus: &Corpus) -> Vec<&str> {
        corpus.documents.iter().map(|d| d.id.as_str()).collect()
    }

    #[test]
    fn inputs_are_read_in_order_with_formats_from_extensions() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path();
        let a = write(t, "a.txt", b"one\ntwo\n");
        let b = write(t, "b.jsonl", b"{\"id\": \"j\", \"text\": \"three\"}\n");
        let c = write(t, "c.csv", b"id,text\nc,four\n");
        let d = write(t, "d", b"five\n");
        let corpus = Corpus::read(&[&d, &c, &b, &a], &ReadOptions::default()).unwrap();
        assert_eq!(ids(&corpus), ["d#0", "c", "j", "a.txt#0", "a.txt#1"]);
        assert_eq!(corpus.texts(), ["five", "four", "three", "one", "two"]);
        let sources: Vec<String> = corpus
            .documents
            .iter()
            .map(|d| d.source.to_string())
            .collect();
        assert_eq!(sources[0], d.to_string_lossy());
        assert_eq!(sources[4], a.to_string_lossy());
        assert!(corpus.warnings.is_empty());
    }

    #[test]
    fn directory_files_get_relative_names_and_walked_sources() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("corpus");
        write(&dir, "b.txt", b"b0\nb1");
        write(&dir, "a/x.txt", b"x0\n\nx1\nx1 again");
        write(&dir, "a/y.jsonl.gz", &gzip(b"{\"text\": \"y\"}\n"));
        write(&dir, ".hidden.txt", b"hidden");
        let corpus = Corpus::read(&[&dir], &ReadOptions::default()).unwrap();
        assert_eq!(
            ids(&corpus),
            ["a/x.txt#0", "a/x.txt#1", "1", "b.txt#0", "b.txt#1"]
        );
        assert_eq!(corpus.documents[1].text, "x1\nx1 again");
        let x = dir.join("a").join("x.txt");
        assert_eq!(&*corpus.documents[0].source, x.to_string_lossy());
    }

    #[test]
    fn a_forced_format_overrides_extensions() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a.jsonl", b"{\"text\": \"a\"}\n");
        let options = ReadOptions::default().with_format(Format::Text);
        let corpus = Corpus::read(&[&a], &options).unwrap();
        assert_eq!(corpus.texts(), ["{\"text\": \"a\"}"]);
        assert_eq!(ids(&corpus), ["a.jsonl#0"]);
    }

    #[test]
    fn gzipped_files_are_read_transparently() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a.txt.gz", &gzip(b"one\ntwo\n"));
        let b = write(tmp.path(), "b.csv.gz", &gzip(b"id,text\nk,three\n"));
        let corpus = Corpus::read(&[&a, &b], &ReadOptions::default()).unwrap();
        assert_eq!(ids(&corpus), ["a.txt.gz#0", "a.txt.gz#1", "k"]);
        assert_eq!(corpus.texts(), ["one", "two", "three"]);

        // Members one after another are one stream, as `gzip -d` reads
        // them; bytes after the last that are not gzip are named.
        let two = [gzip(b"one\n\n"), gzip(b"two\n")].concat();
        let c = write(tmp.path(), "c.txt.gz", &two);
        let corpus = Corpus::read(&[&c], &ReadOptions::default()).unwrap();
        assert_eq!(corpus.texts(), ["one", "two"]);
        let d = write(
            tmp.path(),
            "d.txt.gz",
            &[&two[..], b"garbage after"].concat(),
        );
        let err = Corpus::read(&[&d], &ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: invalid gzip header after the end of the compressed data: bytes that \
                 are not gzip follow it (`gzip -d` calls them trailing garbage)",
                d.display()
            )
        );
    }

    #[test]
    fn streams_are_read_like_stdin_gzipped_or_not() {
        let options = ReadOptions::default();
        let plain = Corpus::from_reader(&b"one\n\ntwo\nthree"[..], "-", &options).unwrap();
        assert_eq!(ids(&plain), ["-#0", "-#1"]);
        assert_eq!(plain.texts(), ["one", "two\nthree"]);
        assert_eq!(&*plain.documents[0].source, "-");
        let gz = Corpus::from_reader(Cursor::new(gzip(b"one\n\ntwo\nthree")), "-", &options);
        assert_eq!(gz.unwrap(), plain);

        let options = ReadOptions::default().with_format(Format::Jsonl);
        let gz = gzip(b"{\"id\": 7, \"text\": \"seven\"}\n");
        let corpus = Corpus::from_reader(Cursor::new(gz), "-", &options).unwrap();
        assert_eq!((ids(&corpus), corpus.texts()), (vec!["7"], vec!["seven"]));
    }

    #[test]
    fn a_byte_order_mark_is_dropped_in_every_format() {
        let options = ReadOptions::default();
        for (format, bytes) in [
            (Format::Text, &b"\xEF\xBB\xBFhello\n"[..]),
            (Format::Jsonl, b"\xEF\xBB\xBF{\"text\": \"hello\"}\n"),
            (Format::Csv, b"\xEF\xBB\xBFtext\nhello\n"),
        ] {
            let options = options.clone().with_format(format);
            let corpus = Corpus::from_reader(bytes, "-", &options).unwrap();
            assert_eq!(corpus.texts(), ["hello"], "{format}");
        }
    }

    #[test]
    fn bad_utf8_warns_once_per_file_or_fails_under_strict() {
        let tmp = tempfile::tempdir().unwrap();
        let news = tmp.path().join("news");
        write(&news, "a.txt", b"fine\nfine\nbad \xff\nbad \xfe\n");
        write(&news, "b.csv", b"text\nok\n\"bad \xff\"\n");
        let corpus = Corpus::read(&[&news], &ReadOptions::default()).unwrap();
        assert_eq!(
            corpus.texts(),
            [
                "fine",
                "fine",
                "bad \u{fffd}",
                "bad \u{fffd}",
                "ok",
                "bad \u{fffd}"
            ]
        );
        let a = news.join("a.txt");
        let b = news.join("b.csv");
        assert_eq!(
            corpus.warnings,
            [
                format!(
                    "{}: line 3 is not valid UTF-8; decoded lossily (use --strict to refuse)",
                    a.display()
                ),
                format!(
                    "{}: line 3 is not valid UTF-8; decoded lossily (use --strict to refuse)",
                    b.display()
                ),
            ]
        );
        let strict = ReadOptions::default().with_strict(true);
        let err = Corpus::read(&[&news], &strict).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{} line 3: not valid UTF-8 (bytes at byte offset 14); re-encode the file as \
                 UTF-8 or drop --strict to decode it lossily",
                a.display()
            )
        );
        let err = Corpus::read(&[&b], &strict).unwrap_err();
        assert!(matches!(err, Error::Input { line: Some(3), .. }), "{err}");
    }

    #[test]
    fn binary_files_in_directories_are_skipped_but_named_files_are_read() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        write(&dir, "a.txt", b"text");
        let bin = write(&dir, "b.bin", b"GIF89a\0\0\nsecond line");
        write(&dir, "c.txt.gz", &gzip(b"\0\0binary inside gzip"));
        let corpus = Corpus::read(&[&dir], &ReadOptions::default()).unwrap();
        assert_eq!(corpus.texts(), ["text"]);
        assert_eq!(corpus.warnings.len(), 2);
        assert_eq!(
            corpus.warnings[0],
            format!(
                "{}: skipped, as it looks binary (a NUL byte in its first 8 KiB)",
                bin.display()
            )
        );
        let named = Corpus::read(&[&bin], &ReadOptions::default()).unwrap();
        assert_eq!(named.documents.len(), 2);
        assert_eq!(
            named.warnings,
            [format!(
                "{}: read although it looks binary (a NUL byte in its first 8 KiB), as it was \
                 named; NUL bytes separate words (use --strict to refuse)",
                bin.display()
            )]
        );
        let strict = ReadOptions::default().with_strict(true);
        let err = Corpus::read(&[&bin], &strict).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: refused, as it looks binary (a NUL byte in its first 8 KiB); drop \
                 --strict to read it anyway",
                bin.display()
            )
        );
        // In a directory, binary files are skipped under --strict too: that is
        // the rule for what a directory holds, not a problem with a file.
        let corpus = Corpus::read(&[&dir], &strict).unwrap();
        assert_eq!(corpus.texts(), ["text"]);
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_named_as_such() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        write(&dir, "a.txt", b"text");
        let bytes: Vec<u8> = "hello world\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let b = write(&dir, "b.txt", &bytes);
        let corpus = Corpus::read(&[&dir], &ReadOptions::default()).unwrap();
        assert_eq!(
            corpus.warnings,
            [format!(
                "{}: skipped, as it looks like UTF-16 without a byte order mark (a NUL byte in \
                 every other byte); re-encode it as UTF-8",
                b.display()
            )]
        );
        let named = Corpus::read(&[&b], &ReadOptions::default()).unwrap();
        assert_eq!(
            named.warnings,
            [format!(
                "{}: read although it looks like UTF-16 without a byte order mark (a NUL byte \
                 in every other byte), as it was named; NUL bytes separate words; re-encode it \
                 as UTF-8 (use --strict to refuse)",
                b.display()
            )]
        );
    }

    #[test]
    fn unreadable_files_in_directories_are_skipped_with_a_warning_or_stop_under_strict() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        write(&dir, "a.txt", b"alpha");
        std::os::unix::fs::symlink(dir.join("nowhere.txt"), dir.join("b.txt")).unwrap();
        let corrupt = write(&dir, "c.txt.gz", b"\x1f\x8b\x08\x00 not really gzip");
        let mut cut = gzip("gamma\n".repeat(10_000).as_bytes());
        cut.truncate(cut.len() / 2);
        let truncated = write(&dir, "d.jsonl.gz", &cut);
        write(&dir, "e.txt", b"epsilon");
        let broken = dir.join("b.txt");
        let no_such = fs::File::open(&broken).unwrap_err().to_string();

        let corpus = Corpus::read(&[&dir], &ReadOptions::default()).unwrap();
        assert_eq!(corpus.texts(), ["alpha", "epsilon"]);
        assert_eq!(corpus.warnings.len(), 3, "{:?}", corpus.warnings);
        assert_eq!(
            corpus.warnings[0],
            format!(
                "{}: skipped, as it cannot be read: {no_such} (use --strict to stop instead)",
                broken.display()
            )
        );
        for (warning, path) in corpus.warnings[1..].iter().zip([&corrupt, &truncated]) {
            let head = format!("{}: skipped, as it cannot be read: ", path.display());
            assert!(warning.starts_with(&head), "{warning}");
            assert!(
                warning.ends_with(" (use --strict to stop instead)"),
                "{warning}"
            );
        }

        let strict = ReadOptions::default().with_strict(true);
        let err = Corpus::read(&[&dir], &strict).unwrap_err();
        assert_eq!(err.to_string(), format!("{}: {no_such}", broken.display()));
        assert!(matches!(err, Error::Io { .. }));

        // Named by itself, an unreadable file is an error, --strict or not.
        for path in [&broken, &corrupt, &truncated] {
            let err = Corpus::read(&[path], &ReadOptions::default()).unwrap_err();
            assert!(
                matches!(&err, Error::Io { path: p, .. } if p == path),
                "{err}"
            );
        }

        // A directory whose every file is skipped has no text files.
        let bad = tmp.path().join("bad");
        fs::create_dir(&bad).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), bad.join("x.txt")).unwrap();
        let err = Corpus::read(&[&bad], &ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: no text files in this directory", bad.display())
        );
    }

    /// Reads `path` (found in a directory when `in_dir`), running `change`
    /// once the file is open and its first bytes read.
    fn read_changing(path: &Path, options: &ReadOptions, change: impl FnOnce()) -> Result<Part> {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let job = source::tests::job(path, &name, options);
        read_job_with(&job, options, change)
    }

    #[test]
    fn a_file_that_changes_while_read_is_told_or_refused_under_strict() {
        let tmp = tempfile::tempdir().unwrap();
        let options = ReadOptions::default();
        let strict = ReadOptions::default().with_strict(true);
        let changed = |path: &Path| {
            format!(
                "{}: changed while it was read; its documents may mix old and new contents \
                 (use --strict to refuse)",
                path.display()
            )
        };
        // Lines appended after the first block.
        let jsonl: String = (0..20_000)
            .map(|i| format!("{{\"text\": \"record {i}\"}}\n"))
            .collect();
        let a = write(tmp.path(), "a.jsonl", jsonl.as_bytes());
        let append = || {
            let mut file = fs::OpenOptions::new().append(true).open(&a).unwrap();
            std::io::Write::write_all(&mut file, b"{\"text\": \"late\"}\n").unwrap();
        };
        let part = read_changing(&a, &options, append).unwrap();
        assert!(part.documents.len() >= 20_000);
        assert_eq!(part.warnings, [changed(&a)]);
        let err = read_changing(&a, &strict, append).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: changed while it was read; its documents may mix old and new contents; \
                 read it again once it is complete, or drop --strict",
                a.display()
            )
        );

        // Rewritten in place, same length: the modification time tells.
        let b = write(tmp.path(), "b.txt", b"one\ntwo\n");
        let touch = || {
            let file = fs::OpenOptions::new().write(true).open(&b).unwrap();
            let later = file.metadata().unwrap().modified().unwrap() + Duration::from_secs(5);
            file.set_modified(later).unwrap();
        };
        let part = read_changing(&b, &options, touch).unwrap();
        assert_eq!(part.documents.len(), 2);
        assert_eq!(part.warnings, [changed(&b)]);

        // Left alone, no warning.
        let part = read_changing(&b, &options, || {}).unwrap();
        assert!(part.warnings.is_empty());
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded_in_every_format() {
        use crate::corpus::decode::tests::utf16;
        for big_endian in [false, true] {
            for (format, text) in [
                (Format::Text, "héllo\r\nwörld\r\n"),
                (
                    Format::Jsonl,
                    "{\"text\": \"héllo\"}\r\n{\"text\": \"wörld\"}\r\n",
                ),
                (Format::Csv, "text\r\nhéllo\r\nwörld\r\n"),
            ] {
                let options = ReadOptions::default().with_format(format);
                let bytes = utf16(text, big_endian);
                let corpus = Corpus::from_reader(&bytes[..], "-", &options).unwrap();
                assert_eq!(corpus.texts(), ["héllo", "wörld"], "{format} {big_endian}");
                assert!(corpus.warnings.is_empty());
                let gz = Corpus::from_reader(Cursor::new(gzip(&bytes)), "-", &options).unwrap();
                assert_eq!(gz, corpus);
            }
        }
    }

    #[test]
    fn over_long_documents_are_cut_with_a_warning_or_refused_under_strict() {
        let long = "word ".repeat(500); // 2500 bytes
        let options = ReadOptions::default().with_max_doc_bytes(Some(1024));
        let strict = options.clone().with_strict(true);
        for (format, bytes, id, line) in [
            (Format::Text, format!("short\n\n{long}\n"), "s#1", 3),
            (
                Format::Jsonl,
                format!("{{\"text\": \"a\"}}\n{{\"id\": \"k\", \"text\": \"{long}\"}}\n"),
                "k",
                2,
            ),
            (
                Format::Csv,
                format!("id,text\n1,short\nk,\"{long}\"\n"),
                "k",
                3,
            ),
        ] {
            let o = options.clone().with_format(format);
            let corpus = Corpus::from_reader(bytes.as_bytes(), "s", &o).unwrap();
            let doc = &corpus.documents[1];
            assert_eq!(doc.id, id);
            assert_eq!(doc.text.len(), 1024, "{format}: cut at a space");
            assert!(long.starts_with(&doc.text));
            let trimmed = if format == Format::Text {
                long.trim_end().len()
            } else {
                long.len()
            };
            assert_eq!(
                corpus.warnings,
                [format!(
                    "s line {line}: document `{id}` has {trimmed} bytes of text, more than \
                     --max-doc-bytes (1024); truncated to 1024 bytes (use --strict to refuse)"
                )],
                "{format}"
            );
            let err =
                Corpus::from_reader(bytes.as_bytes(), "s", &strict.clone().with_format(format))
                    .unwrap_err();
            assert!(
                matches!(err, Error::Input { line: Some(l), .. } if l == line),
                "{err}"
            );
            let whole =
                Corpus::from_reader(bytes.as_bytes(), "s", &o.with_max_doc_bytes(None)).unwrap();
            assert_eq!(whole.documents[1].text.trim_end(), long.trim_end());
            assert!(whole.warnings.is_empty());
        }
    }

    #[test]
    fn a_directory_of_binary_files_only_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        write(&dir, "b.bin", b"\0\x01");
        let err = Corpus::read(&[&dir], &ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: no text files in this directory", dir.display())
        );
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a.txt", b"a");
        let missing = tmp.path().join("missing.txt");
        let err = Corpus::read(&[&a, &missing], &ReadOptions::default()).unwrap_err();
        assert!(matches!(&err, Error::Io { path, .. } if path == &missing));
        assert!(
            err.to_string()
                .starts_with(&format!("{}: ", missing.display()))
        );
    }

    #[test]
    fn an_empty_corpus_is_an_error_naming_the_inputs() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "empty.txt", b"\n  \n\t\n");
        let err = Corpus::read(&[&a], &ReadOptions::default()).unwrap_err();
        assert!(matches!(err, Error::EmptyCorpus(_)));
        assert_eq!(
            err.to_string(),
            format!(
                "the corpus is empty: no documents in {} (every paragraph of the plain text was empty)",
                a.display()
            )
        );
        let b = write(tmp.path(), "empty.jsonl", b"\n");
        let err = Corpus::read(&[&a, &b], &ReadOptions::default()).unwrap_err();
        assert!(
            err.to_string().contains(&format!(
                "no documents in {}, {} (no records",
                a.display(),
                b.display()
            )),
            "{err}"
        );
        let none: [&str; 0] = [];
        assert!(matches!(
            Corpus::read(&none, &ReadOptions::default()),
            Err(Error::EmptyCorpus(_))
        ));
    }

    #[test]
    fn duplicate_ids_give_one_warning_and_keep_the_documents() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(
            tmp.path(),
            "a.jsonl",
            b"{\"id\": \"x\", \"text\": \"1\"}\n{\"id\": \"y\", \"text\": \"2\"}\n",
        );
        let b = write(tmp.path(), "b.csv", b"id,text\ny,3\nx,4\nx,5\nz,6\n");
        let corpus = Corpus::read(&[&a, &b], &ReadOptions::default()).unwrap();
        assert_eq!(corpus.documents.len(), 6);
        assert_eq!(
            corpus.warnings,
            [format!(
                "2 ids are used by more than one document, first `y` ({a} line 2 and {b} line 2), \
                 `x` ({a} line 1 and {b} line 3); all documents are kept",
                a = a.display(),
                b = b.display()
            )]
        );
        let one = Corpus::from_reader(
            &b"id,text\nk,a\nk,b\n"[..],
            "s.csv",
            &ReadOptions::default().with_format(Format::Csv),
        )
        .unwrap();
        assert_eq!(
            one.warnings,
            [
                "1 id is used by more than one document, `k` (s.csv line 2 and s.csv line 3); all documents are kept"
            ]
        );
    }

    #[test]
    fn split_options_reach_the_text_reader() {
        let options = ReadOptions::default().with_split(Split::None);
        let corpus = Corpus::from_reader(&b"a\nb\n\nc\n"[..], "-", &options).unwrap();
        assert_eq!(corpus.texts(), ["a\nb\n\nc"]);
    }
}
