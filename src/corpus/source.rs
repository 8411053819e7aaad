//! Sources of bytes: planning which files to read (walking directories), and
//! opening files, gzipped files and standard input.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use walkdir::WalkDir;

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
}

/// Lists the files to read for `inputs`, in order.
///
/// # Errors
///
/// An input that does not exist or cannot be walked, a directory without any
/// file, or standard input given twice.
pub(super) fn plan(inputs: &[&Path], options: &ReadOptions) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut stdin_seen = false;
    for &input in inputs {
        if input == Path::new(STDIN) {
            if stdin_seen {
                return Err(Error::input(
                    STDIN,
                    None,
                    "standard input (`-`) is given more than once",
                ));
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
            walk(input, index, options, &mut plan.jobs)?;
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
fn walk(dir: &Path, index: usize, options: &ReadOptions, jobs: &mut Vec<Job>) -> Result<()> {
    let entries = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in entries {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, e.into())
        })?;
        let is_file =
            entry.file_type().is_file() || (entry.path_is_symlink() && entry.path().is_file());
        if !is_file {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        jobs.push(file_job(entry.into_path(), name, Some(index), options));
    }
    Ok(())
}

/// An opened source: its first bytes (up to [`HEAD_LEN`], decompressed) and
/// a reader for the rest.
pub(super) struct Opened<'r> {
    /// The first bytes.
    pub head: Vec<u8>,
    /// The bytes after `head`.
    pub rest: Box<dyn Read + Send + 'r>,
}

impl Opened<'_> {
    /// Reads everything, `head` included, naming `path` in errors.
    pub(super) fn read_all(self, path: &Path) -> Result<Vec<u8>> {
        let Opened { mut head, mut rest } = self;
        rest.read_to_end(&mut head)
            .map_err(|e| Error::io(path, e))?;
        Ok(head)
    }
}

/// Opens the file of `job` (not standard input), gunzipping `.gz` files.
pub(super) fn open_file(job: &Job) -> Result<Opened<'static>> {
    let file = File::open(&job.path).map_err(|e| Error::io(&job.path, e))?;
    let rest: Box<dyn Read + Send> = if job.gz {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    start(rest).map_err(|e| Error::io(&job.path, e))
}

/// Opens a stream as standard input is opened: gunzipped when it starts with
/// the gzip magic bytes.
pub(super) fn open_stream<'r, R: Read + Send + 'r>(reader: R) -> io::Result<Opened<'r>> {
    let opened = start(Box::new(reader))?;
    if opened.head.starts_with(GZIP_MAGIC) {
        let whole = Cursor::new(opened.head).chain(opened.rest);
        start(Box::new(MultiGzDecoder::new(whole)))
    } else {
        Ok(opened)
    }
}

/// Reads the head of `rest`.
fn start(mut rest: Box<dyn Read + Send + '_>) -> io::Result<Opened<'_>> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    rest.by_ref().take(HEAD_LEN as u64).read_to_end(&mut head)?;
    Ok(Opened { head, rest })
}

/// Whether bytes look binary: a NUL byte among the first [`HEAD_LEN`].
pub(super) fn looks_binary(head: &[u8]) -> bool {
    head[..head.len().min(HEAD_LEN)].contains(&0)
}

#[cfg(test)]
pub(super) mod tests {
    use std::fs;
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

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
            "-: standard input (`-`) is given more than once"
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
}
