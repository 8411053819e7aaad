//! Sources of bytes: planning which files to read (walking directories), and
//! opening files, gzipped files, UTF-16 files and standard input.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use flate2::read::MultiGzDecoder;
use walkdir::WalkDir;

use super::decode::{Utf16Reader, utf16_bom};
use super::{Format, ReadOptions};
use crate::error::{Error, Result};

/// How many leading bytes are looked at to tell a binary file (and gzip).
pub(super) const HEAD_LEN: usize = 8 * 1024;

/// The gzip magic bytes.
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// The path standing for standard input.
pub(super) const STDIN: &str = "-";

/// One file, or standard input, to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Job {
    /// The path as given or as walked; `-` for standard input.
    pub path: PathBuf,
    /// Whether this is standard input.
    pub stdin: bool,
    /// The name in plain-text ids: the path relative to the directory given
    /// as input, with `/` separators; the file name for a file given by
    /// itself; `-` for standard input.
    pub name: String,
    /// The format to read it as.
    pub format: Format,
    /// Whether it is gzipped (files: a `.gz` extension; standard input: the
    /// magic bytes, found when it is opened).
    pub gz: bool,
    /// The index (in [`Plan::dirs`]) of the directory it was found in, if any:
    /// only such files are skipped when they look binary.
    pub dir: Option<usize>,
}

/// The files to read, in reading order, and the directories they came from.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Every file to read, in order.
    pub jobs: Vec<Job>,
    /// The directories given as inputs.
    pub dirs: Vec<PathBuf>,
    /// Entries under those directories that could not be listed, skipped.
    pub warnings: Vec<String>,
}

/// Lists the files to read for `inputs`, in order.
///
/// # Errors
///
/// An input that does not exist or cannot be walked, a directory without any
/// file, standard input given twice, or (under `strict`) an entry under a
/// directory that cannot be listed.
pub(super) fn plan(inputs: &[&Path], options: &ReadOptions) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut stdin_seen = false;
    for &input in inputs {
        if input == Path::new(STDIN) {
            if stdin_seen {
                // A usage error (exit status 2), like two outputs on `-`.
                return Err(crate::ParamError::new(
                    "input",
                    "standard input (`-`) is given more than once",
                )
                .into());
            }
            stdin_seen = true;
            plan.jobs.push(Job {
                path: input.to_path_buf(),
                stdin: true,
                name: STDIN.to_string(),
                format: options.format.unwrap_or(Format::Text),
                gz: false,
                dir: None,
            });
            continue;
        }
        let metadata = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
        if metadata.is_dir() {
            let index = plan.dirs.len();
            plan.dirs.push(input.to_path_buf());
            let before = plan.jobs.len();
            walk(input, index, options, &mut plan)?;
            if plan.jobs.len() == before {
                return Err(no_text_files(input));
            }
        } else {
            let name = input
                .file_name()
                .map_or_else(|| input.to_string_lossy(), |n| n.to_string_lossy());
            plan.jobs.push(file_job(
                input.to_path_buf(),
                name.into_owned(),
                None,
                options,
            ));
        }
    }
    Ok(plan)
}

/// The error for a directory that yields no readable file.
pub(super) fn no_text_files(dir: &Path) -> Error {
    Error::input(dir, None, "no text files in this directory")
}

/// A job for a file, its format inferred from its name unless forced.
fn file_job(path: PathBuf, name: String, dir: Option<usize>, options: &ReadOptions) -> Job {
    let format = options
        .format
        .or_else(|| Format::from_path(&path))
        .unwrap_or(Format::Text);
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    Job {
        path,
        stdin: false,
        name,
        format,
        gz,
        dir,
    }
}

/// Appends the regular files under `dir`, in sorted path order, skipping
/// hidden entries.
///
/// Symbolic links that lead nowhere are planned too, so that reading them
/// fails and names them. An entry below `dir` that cannot be listed is
/// skipped with a warning, or is the error under `--strict`.
fn walk(dir: &Path, index: usize, options: &ReadOptions, plan: &mut Plan) -> Result<()> {
    let entries = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                if e.depth() == 0 || options.strict {
                    return Err(Error::io(path, e.into()));
                }
                let message = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                plan.warnings
                    .push(unreadable_warning(&path.to_string_lossy(), &message));
                continue;
            }
        };
        let is_file = entry.file_type().is_file()
            || (entry.path_is_symlink()
                && std::fs::metadata(entry.path()).map_or(true, |m| m.is_file()));
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if !is_file {
            // A link to a directory is not followed (it may loop, or lead
            // out of the tree), but it is said: its files are not read.
            if entry.path_is_symlink() && entry.path().is_dir() {
                plan.warnings.push(format!(
                    "{}: skipped, as it is a link to a directory, which is not entered (name \
                     it as an input to read it)",
                    dir.join(relative).display()
                ));
            }
            continue;
        }
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        plan.jobs
            .push(file_job(entry.into_path(), name, Some(index), options));
    }
    Ok(())
}

/// The warning for a file or directory found while walking that cannot be
/// read, with the system's message.
pub(super) fn unreadable_warning(source: &str, message: &str) -> String {
    format!("{source}: skipped, as it cannot be read: {message} (use --strict to stop instead)")
}

/// What is watched to tell a file that changes while it is read: its length
/// and modification time, from the open handle.
#[derive(Debug)]
pub(super) struct Watch {
    file: File,
    before: (u64, Option<SystemTime>),
}

impl Watch {
    /// Starts watching an open file (through a second handle on it).
    fn new(file: &File) -> io::Result<Watch> {
        let file = file.try_clone()?;
        let before = stamp(&file)?;
        Ok(Watch { file, before })
    }

    /// Whether the file's length or modification time differs from when it
    /// was opened.
    pub(super) fn changed(&self) -> io::Result<bool> {
        Ok(stamp(&self.file)? != self.before)
    }
}

/// A file's length and modification time.
fn stamp(file: &File) -> io::Result<(u64, Option<SystemTime>)> {
    let metadata = file.metadata()?;
    Ok((metadata.len(), metadata.modified().ok()))
}

/// An opened source: its first bytes (up to [`HEAD_LEN`], decompressed and
/// transcoded from UTF-16) and a reader for the rest.
pub(super) struct Opened<'r> {
    /// The first bytes.
    pub head: Vec<u8>,
    /// The bytes after `head`.
    pub rest: Box<dyn Read + Send + 'r>,
    /// For a file, what tells whether it changed while it was read.
    pub watch: Option<Watch>,
}

impl Opened<'_> {
    /// Reads everything, `head` included, naming `path` in errors.
    pub(super) fn read_all(self, path: &Path) -> Result<Vec<u8>> {
        let Opened {
            mut head, mut rest, ..
        } = self;
        rest.read_to_end(&mut head)
            .map_err(|e| Error::io(path, e))?;
        Ok(head)
    }
}

/// Opens the file of `job` (not standard input), gunzipping `.gz` files, and
/// starts watching it for changes.
pub(super) fn open_file(job: &Job) -> Result<Opened<'static>> {
    let io = |e| Error::io(&job.path, e);
    let file = File::open(&job.path).map_err(io)?;
    let watch = Watch::new(&file).map_err(io)?;
    let rest: Box<dyn Read + Send> = if job.gz {
        Box::new(Gunzip::new(file))
    } else {
        Box::new(file)
    };
    let mut opened = start(rest).map_err(io)?;
    opened.watch = Some(watch);
    Ok(opened)
}

/// The whole text of a side file (a table of labels or of topics), opened
/// as corpus files are: gunzipped when named `.gz`, transcoded from UTF-16
/// when it starts with a byte order mark. Errors name the file.
///
/// ```
/// use std::path::Path;
///
/// let labels = topica::corpus::read_text(Path::new("data/news-labels.csv"))?;
/// assert!(labels.starts_with("id,"));
/// assert!(topica::corpus::read_text(Path::new("missing.csv")).is_err());
/// # Ok::<(), topica::Error>(())
/// ```
pub fn read_text(path: &Path) -> Result<String> {
    let job = file_job(
        path.to_path_buf(),
        path.display().to_string(),
        None,
        &ReadOptions::default(),
    );
    let mut bytes = open_file(&job)?.read_all(path)?;
    // A byte order mark is not text: left in, it would glue itself to the
    // first stop word, vocabulary term or JSON value.
    super::decode::strip_bom(&mut bytes);
    String::from_utf8(bytes).map_err(|e| {
        Error::input(
            path,
            None,
            format!(
                "not UTF-8 (byte {}): re-encode it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Opens a stream as standard input is opened: gunzipped when it starts with
/// the gzip magic bytes.
pub(super) fn open_stream<'r, R: Read + Send + 'r>(reader: R) -> io::Result<Opened<'r>> {
    let opened = start(Box::new(reader))?;
    if opened.head.starts_with(GZIP_MAGIC) {
        let whole = Cursor::new(opened.head).chain(opened.rest);
        start(Box::new(Gunzip::new(whole)))
    } else {
        Ok(opened)
    }
}

/// flate2's `MultiGzDecoder` (members one after another, as `gzip -d`
/// reads them), saying what an invalid header after the first member is:
/// data appended to the compressed stream, which `gzip -d` calls "trailing
/// garbage" and Python's `gzip` refuses, as this does.
struct Gunzip<R: Read> {
    inner: MultiGzDecoder<R>,
    /// Whether any decompressed byte came out yet.
    started: bool,
}

impl<R: Read> Gunzip<R> {
    fn new(reader: R) -> Self {
        Gunzip {
            inner: MultiGzDecoder::new(reader),
            started: false,
        }
    }
}

impl<R: Read> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.started |= n > 0;
                Ok(n)
            }
            Err(e) if self.started && e.kind() == io::ErrorKind::InvalidInput => {
                Err(io::Error::new(
                    e.kind(),
                    format!(
                        "{e} after the end of the compressed data: bytes that are not gzip \
                         follow it (`gzip -d` calls them trailing garbage)"
                    ),
                ))
            }
            Err(e) => Err(e),
        }
    }
}

/// Reads the head of `rest`, transcoding the rest to UTF-8 when it starts
/// with a UTF-16 byte order mark.
fn start(rest: Box<dyn Read + Send + '_>) -> io::Result<Opened<'_>> {
    let opened = read_head(rest)?;
    match utf16_bom(&opened.head) {
        Some(big_endian) => {
            let whole = Cursor::new(opened.head).chain(opened.rest);
            read_head(Box::new(Utf16Reader::new(whole, big_endian)))
        }
        None => Ok(opened),
    }
}

/// Reads the head of `rest`.
fn read_head(mut rest: Box<dyn Read + Send + '_>) -> io::Result<Opened<'_>> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    rest.by_ref().take(HEAD_LEN as u64).read_to_end(&mut head)?;
    Ok(Opened {
        head,
        rest,
        watch: None,
    })
}

/// Whether bytes look binary: a NUL byte among the first [`HEAD_LEN`].
pub(super) fn looks_binary(head: &[u8]) -> bool {
    head[..head.len().min(HEAD_LEN)].contains(&0)
}

/// Why bytes that [`looks_binary`] look binary, for messages: `looks binary
/// (a NUL byte in its first 8 KiB)`, or, when NUL bytes fill every other
/// byte, that it looks like UTF-16 without a byte order mark; with, for the
/// latter, the advice to re-encode it.
pub(super) fn binary_why(head: &[u8]) -> (&'static str, Option<&'static str>) {
    let head = &head[..head.len().min(HEAD_LEN)];
    let pairs = head.len() / 2;
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if pairs >= 2 && even.max(odd) * 2 > pairs && even.min(odd) * 10 < pairs {
        (
            "looks like UTF-16 without a byte order mark (a NUL byte in every other byte)",
            Some("re-encode it as UTF-8"),
        )
    } else {
        ("looks binary (a NUL byte in its first 8 KiB)", None)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::fs;
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    /// A job for the file at `path`, as if found in a directory (a helper for
    /// the other readers' tests).
    pub(crate) fn job(path: &Path, name: &str, options: &ReadOptions) -> Job {
        file_job(path.to_path_buf(), name.to_string(), Some(0), options)
    }

    /// Gzips `bytes` (a helper for the other readers' tests).
    pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn touch(path: &Path, bytes: &[u8]) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    #[test]
    fn directories_are_walked_in_sorted_order_skipping_hidden_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("in");
        for name in [
            "b.txt",
            "a/z.jsonl",
            "a/y.csv.gz",
            "c",
            ".hidden.txt",
            ".git/config",
            "a/.x/deep.txt",
            "A.ndjson",
        ] {
            touch(&root.join(name), b"x");
        }
        let plan = plan(&[root.as_path()], &ReadOptions::default()).unwrap();
        let got: Vec<_> = plan
            .jobs
            .iter()
            .map(|j| (j.name.as_str(), j.format, j.gz, j.dir))
            .collect();
        assert_eq!(
            got,
            [
                ("A.ndjson", Format::Jsonl, false, Some(0)),
                ("a/y.csv.gz", Format::Csv, true, Some(0)),
                ("a/z.jsonl", Format::Jsonl, false, Some(0)),
                ("b.txt", Format::Text, false, Some(0)),
                ("c", Format::Text, false, Some(0)),
            ]
        );
        assert_eq!(plan.jobs[1].path, root.join("a").join("y.csv.gz"));
        assert_eq!(plan.dirs, [root]);
    }

    #[test]
    fn a_forced_format_applies_to_every_file_and_stdin() {
        let tmp = tempfile::tempdir().unwrap();
        touch(&tmp.path().join("d/a.csv"), b"x");
        touch(&tmp.path().join("b.txt.gz"), b"x");
        let dir = tmp.path().join("d");
        let file = tmp.path().join("b.txt.gz");
        let options = ReadOptions::default().with_format(Format::Jsonl);
        let plan = plan(&[dir.as_path(), file.as_path(), Path::new("-")], &options).unwrap();
        let got: Vec<_> = plan
            .jobs
            .iter()
            .map(|j| (j.name.as_str(), j.format, j.gz, j.stdin, j.dir))
            .collect();
        assert_eq!(
            got,
            [
                ("a.csv", Format::Jsonl, false, false, Some(0)),
                ("b.txt.gz", Format::Jsonl, true, false, None),
                ("-", Format::Jsonl, false, true, None),
            ]
        );
    }

    #[test]
    fn missing_inputs_and_empty_directories_are_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let missing = tmp.path().join("missing.txt");
        let err = plan(&[missing.as_path()], &ReadOptions::default()).unwrap_err();
        assert!(matches!(&err, Error::Io { path, error }
            if path == &missing && error.kind() == io::ErrorKind::NotFound));

        let empty = tmp.path().join("empty");
        touch(&empty.join(".hidden"), b"x");
        fs::create_dir_all(empty.join("sub")).unwrap();
        let err = plan(&[empty.as_path()], &ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: no text files in this directory", empty.display())
        );
    }

    #[test]
    fn stdin_twice_is_an_error() {
        let err = plan(&[Path::new("-"), Path::new("-")], &ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: standard input (`-`) is given more than once"
        );
    }

    #[test]
    fn streams_are_gunzipped_by_magic_bytes() {
        let text = "first line\nsecond line\n".repeat(2000);
        let opened = open_stream(Cursor::new(gzip(text.as_bytes()))).unwrap();
        assert_eq!(opened.head.len(), HEAD_LEN);
        assert_eq!(opened.read_all(Path::new("-")).unwrap(), text.as_bytes());

        let opened = open_stream(&b"plain"[..]).unwrap();
        assert_eq!(opened.read_all(Path::new("-")).unwrap(), b"plain");
        let opened = open_stream(&b""[..]).unwrap();
        assert_eq!(opened.read_all(Path::new("-")).unwrap(), b"");
    }

    #[test]
    fn concatenated_gzip_members_are_all_read() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.txt.gz");
        let mut bytes = gzip(b"one\n");
        bytes.extend(gzip(b"two\n"));
        fs::write(&path, bytes).unwrap();
        let job = file_job(
            path.clone(),
            "a.txt.gz".into(),
            None,
            &ReadOptions::default(),
        );
        assert!(job.gz);
        assert_eq!(
            open_file(&job).unwrap().read_all(&path).unwrap(),
            b"one\ntwo\n"
        );
    }

    #[test]
    fn corrupt_gzip_is_an_io_error() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.txt.gz");
        fs::write(&path, b"not gzip at all").unwrap();
        let job = file_job(
            path.clone(),
            "a.txt.gz".into(),
            None,
            &ReadOptions::default(),
        );
        let err = open_file(&job).and_then(|o| o.read_all(&path)).unwrap_err();
        assert!(
            matches!(&err, Error::Io { path: p, .. } if p == &path),
            "{err}"
        );
    }

    #[test]
    fn binary_means_a_nul_byte_in_the_first_8_kib() {
        assert!(looks_binary(b"abc\0def"));
        assert!(!looks_binary(b"abc"));
        let mut late = vec![b'a'; HEAD_LEN];
        late.push(0);
        assert!(!looks_binary(&late));
    }

    #[test]
    fn nul_bytes_in_every_other_byte_look_like_utf16() {
        let le: Vec<u8> = "plain words"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "plain words"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        for bytes in [le, be] {
            let (why, advice) = binary_why(&bytes);
            assert!(why.starts_with("looks like UTF-16 without"), "{why}");
            assert_eq!(advice, Some("re-encode it as UTF-8"));
        }
        for binary in [
            &b"GIF89a\0\0\x01\0\0\0;"[..],
            b"\0\0\0\0",
            b"a\0",
            b"text\0",
        ] {
            assert_eq!(
                binary_why(binary),
                ("looks binary (a NUL byte in its first 8 KiB)", None),
                "{binary:?}"
            );
        }
    }
}
